using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.SqlServer
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
                type: "float",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Format",
                table: "PlatformPosts",
                type: "int",
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
