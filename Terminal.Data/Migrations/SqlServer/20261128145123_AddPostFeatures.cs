using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.SqlServer
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
                type: "nvarchar(96)",
                maxLength: 96,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Features",
                table: "Clips",
                type: "nvarchar(96)",
                maxLength: 96,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RejectedModelAnswers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    At = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Model = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    Answer = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true)
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
