using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace Terminal.Data;

/// <summary>
/// Retries work that met a busy or locked SQLite database (another writer held it past the busy
/// timeout). Being a retrying strategy it also makes EF refuse user transactions started outside
/// <c>CreateExecutionStrategy().ExecuteAsync</c>, exactly as SQL Server's <c>EnableRetryOnFailure</c>
/// does — so turning it on (<c>Terminal:Database:SqliteRetryOnBusy</c>) lets the embedded database
/// catch that class of bug without a SQL Server.
/// </summary>
public sealed class SqliteRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, MaxRetries, TimeSpan.FromSeconds(2))
{
    public const int MaxRetries = 4;

    /// <summary>SQLITE_BUSY (5) and SQLITE_LOCKED (6): another connection holds the lock.</summary>
    protected override bool ShouldRetryOn(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 };
}
