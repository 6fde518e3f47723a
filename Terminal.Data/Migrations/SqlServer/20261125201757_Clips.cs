using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Clips : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ClipRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    VodId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    StartSeconds = table.Column<double>(type: "float", nullable: false),
                    EndSeconds = table.Column<double>(type: "float", nullable: false),
                    Mode = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    Progress = table.Column<double>(type: "float", nullable: false),
                    Error = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: true),
                    Credits = table.Column<int>(type: "int", nullable: false),
                    Charges = table.Column<int>(type: "int", nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    Worker = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    OutputFile = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    OutputBytes = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClipRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ClipRequests_Vods_VodId",
                        column: x => x.VodId,
                        principalTable: "Vods",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VodMedia",
                columns: table => new
                {
                    VodId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    VideoCodec = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    AudioCodec = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    FrameRate = table.Column<double>(type: "float", nullable: true),
                    ThumbnailTiles = table.Column<int>(type: "int", nullable: false),
                    ThumbnailFile = table.Column<string>(type: "nvarchar(512)", maxLength: 512, nullable: true),
                    PlayerFile = table.Column<string>(type: "nvarchar(512)", maxLength: 512, nullable: true),
                    ProbedAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VodMedia", x => x.VodId);
                    table.ForeignKey(
                        name: "FK_VodMedia_Vods_VodId",
                        column: x => x.VodId,
                        principalTable: "Vods",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ClipRequests_ExpiresAt",
                table: "ClipRequests",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_ClipRequests_Status_CreatedAt",
                table: "ClipRequests",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ClipRequests_UserId_CreatedAt",
                table: "ClipRequests",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ClipRequests_VodId",
                table: "ClipRequests",
                column: "VodId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ClipRequests");

            migrationBuilder.DropTable(
                name: "VodMedia");
        }
    }
}
