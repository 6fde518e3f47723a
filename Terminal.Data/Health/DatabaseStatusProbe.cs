using Terminal.Core.Health;

namespace Terminal.Data.Health;

/// <summary>EF implementation of <see cref="IDatabaseStatus"/>.</summary>
public sealed class DatabaseStatusProbe(TerminalDatabase database) : IDatabaseStatus
{
    public async Task<DatabaseStatus> CheckAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await db.Users.AnyAsync(cancellationToken);
        return new DatabaseStatus(db.Database.ProviderName ?? "unknown", pending);
    }
}
