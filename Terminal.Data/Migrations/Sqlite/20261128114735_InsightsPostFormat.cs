using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InsightsPostFormat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "DurationSeconds",
                table: "PlatformPosts",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Format",
                table: "PlatformPosts",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DurationSeconds",
                table: "PlatformPosts");

            migrationBuilder.DropColumn(
                name: "Format",
                table: "PlatformPosts");
        }
    }
}
