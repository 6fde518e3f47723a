using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.SqlServer
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
                type: "nvarchar(300)",
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
