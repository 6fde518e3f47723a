using Microsoft.EntityFrameworkCore;
using Terminal.Data;

namespace Terminal.Tests.Data;

/// <summary>Both migrations sets are kept in step with the model (CI fails when either lags).</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void Sqlite_HasNoPendingModelChanges()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().Should().BeFalse("run scripts/migrations.sh add <Name> after changing the model");
    }

    [Fact]
    public void SqlServer_HasNoPendingModelChanges()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().Should().BeFalse("run scripts/migrations.sh add <Name> after changing the model");
    }

    [Fact]
    public async Task Sqlite_MigrationsApplyToAnEmptyDatabase()
    {
        var path = Path.Combine(Path.GetTempPath(), $"migrate-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteTerminalDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options;
            await using var db = new SqliteTerminalDbContext(options);
            await db.Database.MigrateAsync();
            (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
