using Microsoft.EntityFrameworkCore.Design;

namespace Terminal.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the web app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTerminalDbContext>
{
    public SqliteTerminalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTerminalDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context with no server running.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerTerminalDbContext>
{
    public SqlServerTerminalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerTerminalDbContext>().UseSqlServer("Server=localhost;Database=Terminal;Trusted_Connection=True;TrustServerCertificate=True").Options);
}
