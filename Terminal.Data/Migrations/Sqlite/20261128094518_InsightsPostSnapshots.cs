using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InsightsPostSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PostSnapshots",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PlatformPostId = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Views = table.Column<long>(type: "INTEGER", nullable: true),
                    Likes = table.Column<long>(type: "INTEGER", nullable: true),
                    Comments = table.Column<long>(type: "INTEGER", nullable: true),
                    Shares = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostSnapshots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PostSnapshots_PlatformPosts_PlatformPostId",
                        column: x => x.PlatformPostId,
                        principalTable: "PlatformPosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PostSnapshots_PlatformPostId_At",
                table: "PostSnapshots",
                columns: new[] { "PlatformPostId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PostSnapshots");
        }
    }
}
