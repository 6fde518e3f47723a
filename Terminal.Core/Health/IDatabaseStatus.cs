namespace Terminal.Core.Health;

/// <summary>What the health check reports about the database.</summary>
public sealed record DatabaseStatus(string Provider, int PendingMigrations);

/// <summary>Asks the database to answer (a real query) and how many migrations it lacks; throws when it does not answer.</summary>
public interface IDatabaseStatus
{
    Task<DatabaseStatus> CheckAsync(CancellationToken cancellationToken);
}
