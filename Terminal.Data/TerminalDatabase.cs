using System.Data;

namespace Terminal.Data;

/// <summary>
/// The one way Data's stores reach the database. A plain read or single-statement write opens a
/// context with <see cref="OpenAsync"/>; anything that needs a user transaction goes through
/// <see cref="InTransactionAsync{T}"/>, which runs the work inside the provider's execution strategy
/// on a fresh context, so a retrying strategy (SQL Server's <c>EnableRetryOnFailure</c>, or
/// <see cref="SqliteRetryingExecutionStrategy"/>) can replay the whole unit instead of refusing it.
/// </summary>
public sealed class TerminalDatabase(IDbContextFactory<TerminalDbContext> factory)
{
    /// <summary>A new context for reads and single-statement writes (each is retried on its own by the strategy).</summary>
    public Task<TerminalDbContext> OpenAsync(CancellationToken cancellationToken) => factory.CreateDbContextAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction at <paramref name="isolation"/> on a context made
    /// for this attempt; commits when it returns. On a transient failure the strategy runs it again on a
    /// new context, so <paramref name="work"/> must do all its reads and writes through the context it is
    /// given and have no side effects outside the database.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(IsolationLevel isolation, Func<TerminalDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var probe = await factory.CreateDbContextAsync(cancellationToken);
        var strategy = probe.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(
            (factory, isolation, work),
            static async (_, state, ct) =>
            {
                await using var db = await state.factory.CreateDbContextAsync(ct);
                await using var transaction = await db.Database.BeginTransactionAsync(state.isolation, ct);
                var result = await state.work(db, ct);
                await transaction.CommitAsync(ct);
                return result;
            },
            verifySucceeded: null,
            cancellationToken);
    }

    /// <inheritdoc cref="InTransactionAsync{T}"/>
    public Task InTransactionAsync(IsolationLevel isolation, Func<TerminalDbContext, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        InTransactionAsync(isolation, async (db, ct) =>
        {
            await work(db, ct);
            return true;
        }, cancellationToken);
}
