using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    VodId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartSeconds = table.Column<double>(type: "REAL", nullable: false),
                    EndSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Mode = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Progress = table.Column<double>(type: "REAL", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Credits = table.Column<int>(type: "INTEGER", nullable: false),
                    Charges = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Worker = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    OutputFile = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    OutputBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    VodId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VideoCodec = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AudioCodec = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    FrameRate = table.Column<double>(type: "REAL", nullable: true),
                    ThumbnailTiles = table.Column<int>(type: "INTEGER", nullable: false),
                    ThumbnailFile = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    PlayerFile = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    ProbedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
