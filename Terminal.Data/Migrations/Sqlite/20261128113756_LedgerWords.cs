using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LedgerWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "CreditLedger",
                type: "TEXT",
                maxLength: 300,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Description",
                table: "CreditLedger");
        }
    }
}
