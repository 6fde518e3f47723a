using System.Data.Common;
using Quartz.Impl.AdoJobStore;

namespace Terminal.Jobs.Scheduling;

/// <summary>
/// Quartz's SQLite dialect without the type that makes Quartz refuse a cluster. Quartz 4.7.3 keys its
/// refusal ("SQLite cannot be used as clustered mode due to locking problems") and its swap to the
/// in-process <c>SqliteLockHandler</c> on <c>Delegate is SQLiteDelegate</c> alone; this delegate derives
/// from <see cref="StdAdoDelegate"/> and repeats the four things <c>SQLiteDelegate</c> overrides (its
/// schema script, <c>LIMIT n</c>, and <c>LIMIT/OFFSET</c> paging), so the store runs clustered with the
/// database row lock (<see cref="UpdateRowLockHandler"/>, configured beside it).
/// </summary>
/// <remarks>
/// Why that is safe across processes: Microsoft.Data.Sqlite begins every non-deferred transaction with
/// <c>BEGIN IMMEDIATE</c>, which takes the database file's write lock, and the lock handler's
/// <c>UPDATE QRTZ_LOCKS</c> is a write besides — so two nodes' Quartz transactions on one SQLite file run
/// one after the other, waiting (the connection's <c>Default Timeout</c>) rather than failing, which is
/// the serialisation the row lock gives on SQL Server. The refusal guards the in-process handler, which
/// cannot lock across processes; this configuration does not use it.
/// </remarks>
public sealed class ClusteredSqliteDelegate : StdAdoDelegate
{
    /// <inheritdoc />
    protected override string? SchemaResourceName => "Quartz.Impl.AdoJobStore.Schema.create_sqlite.sql";

    /// <inheritdoc />
    protected override string ApplyPaging(string sql, bool takeLimited) =>
        takeLimited ? sql + " LIMIT @pageTake OFFSET @pageSkip" : sql + " LIMIT -1 OFFSET @pageSkip";

    /// <inheritdoc />
    protected override void AddPagingParameters(DbCommand cmd, int skip, int take, bool takeLimited)
    {
        // In the order the clause names them (matters to a driver binding by position).
        if (takeLimited)
        {
            AddCommandParameter(cmd, "pageTake", take);
        }

        AddCommandParameter(cmd, "pageSkip", skip);
    }

    /// <inheritdoc />
    protected override SqlRowLimit GetRowLimit(int count) => SqlRowLimit.AtStatementEnd("LIMIT", count);
}
