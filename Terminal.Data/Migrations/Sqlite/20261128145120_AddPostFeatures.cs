using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddPostFeatures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Features",
                table: "PlatformPosts",
                type: "TEXT",
                maxLength: 96,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Features",
                table: "Clips",
                type: "TEXT",
                maxLength: 96,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RejectedModelAnswers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RejectedModelAnswers", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RejectedModelAnswers_At",
                table: "RejectedModelAnswers",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RejectedModelAnswers");

            migrationBuilder.DropColumn(
                name: "Features",
                table: "PlatformPosts");

            migrationBuilder.DropColumn(
                name: "Features",
                table: "Clips");
        }
    }
}
