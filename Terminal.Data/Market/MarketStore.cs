using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Data.Market;

/// <summary>
/// Bulk writes and start-up reads of the market tables. Snapshots go in through one prepared INSERT
/// inside a transaction on SQLite (hundreds of thousands of rows a second), and through batched
/// <c>AddRange</c> with change detection off elsewhere — never row by row through <c>SaveChanges</c>.
/// Both run inside <see cref="TerminalDatabase.InTransactionAsync{T}"/>, so a busy database is retried by
/// the execution strategy like every other transaction.
/// </summary>
public sealed class MarketStore(IDbContextFactory<TerminalDbContext> dbFactory) : IMarketStore
{
    private readonly TerminalDatabase database = new(dbFactory);

    private const int EfBatch = 5_000;

    /// <summary>The first start of the demo market (its creators' creation instant), or null before it.</summary>
    public async Task<DateTime?> DemoAnchorAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var anchor = await db.Creators.AsNoTracking().Where(c => c.IsDemo).OrderBy(c => c.Id).Select(c => (DateTime?)c.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return anchor;
    }

    /// <summary>The highest demo clip id stored (0 when none).</summary>
    public async Task<int> LastDemoClipIdAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Clips.AsNoTracking().Where(c => c.IsDemo).MaxAsync(c => (int?)c.Id, cancellationToken) ?? 0;
    }

    /// <summary>Inserts entity rows in one transaction (change detection off, batched by EF).</summary>
    public async Task InsertEntitiesAsync(
        IEnumerable<Topic> topics, IEnumerable<Creator> creators, IEnumerable<ClipperAccount> clippers, IEnumerable<Vod> vods, IEnumerable<MarketClip> clips,
        CancellationToken cancellationToken)
    {
        // Materialised once: a retried attempt adds the same rows again on its fresh context.
        var (topicRows, creatorRows, clipperRows, vodRows, clipRows) = (topics.ToList(), creators.ToList(), clippers.ToList(), vods.ToList(), clips.ToList());
        await database.InTransactionAsync(IsolationLevel.ReadCommitted, async (db, ct) =>
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Topics.AddRange(topicRows);
            db.Creators.AddRange(creatorRows);
            db.ClipperAccounts.AddRange(clipperRows);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            db.Vods.AddRange(vodRows);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            foreach (var chunk in clipRows.Chunk(EfBatch))
            {
                db.Clips.AddRange(chunk);
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Appends snapshots in one transaction; returns how many were written. A collection is replayed as it
    /// is if the strategy retries. On SQLite any other sequence is streamed once (a backfill is millions of
    /// rows), so it can be retried only while none of it was read — which is where SQLite reports a busy
    /// database, at the transaction's <c>BEGIN IMMEDIATE</c>; elsewhere it is materialised first, as the
    /// EF path batches it anyway.
    /// </summary>
    public async Task<int> InsertSnapshotsAsync(IEnumerable<MetricSnapshot> snapshots, CancellationToken cancellationToken)
    {
        var rows = new ReplayableRows(snapshots);
        return await database.InTransactionAsync(IsolationLevel.ReadCommitted, (db, ct) =>
            db.Database.GetDbConnection() is SqliteConnection
                ? InsertSqliteAsync(db, rows.ForAttempt(stream: true), ct)
                : InsertBatchedAsync(db, rows.ForAttempt(stream: false), ct), cancellationToken);
    }

    private static async Task<int> InsertBatchedAsync(TerminalDbContext db, IEnumerable<MetricSnapshot> rows, CancellationToken cancellationToken)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var written = 0;
        foreach (var chunk in rows.Chunk(EfBatch))
        {
            foreach (var s in chunk)
            {
                s.Id = 0;
            }

            db.Snapshots.AddRange(chunk);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            written += chunk.Length;
        }

        return written;
    }

    /// <summary>The latest snapshot of every entity of a kind (restart of a data source).</summary>
    public async Task<List<MetricSnapshot>> LatestSnapshotsAsync(EntityKind kind, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latestIds = db.Snapshots.Where(s => s.Kind == kind).GroupBy(s => s.EntityId).Select(g => g.Max(s => s.Id));
        return await db.Snapshots.AsNoTracking().Where(s => latestIds.Contains(s.Id)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Rebuilds the trend engine's state from the database: every topic, creator and clip, and the
    /// snapshots of the engine's retention horizon (plus a day, so that the reading in force at the
    /// horizon is there too) — or, with <paramref name="since"/>, only those taken since then (a node filling a
    /// gap in what it was fed; readings the engine holds already are replaced by the same values).
    /// </summary>
    public async Task<int> LoadEngineAsync(TrendEngine engine, DateTime now, CancellationToken cancellationToken, DateTime? since = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var topics = await db.Topics.AsNoTracking().ToListAsync(cancellationToken);
        var creators = await db.Creators.AsNoTracking().ToListAsync(cancellationToken);
        var clips = await db.Clips.AsNoTracking().ToListAsync(cancellationToken);
        engine.Register(topics.Select(EntityInfo.Of).Concat(creators.Select(EntityInfo.Of)).Concat(clips.Select(EntityInfo.Of)));

        var horizon = now - TrendEngine.Retention - TimeSpan.FromDays(1);
        var from = since is { } start && start > horizon ? start : horizon;
        var loaded = 0;
        var batch = new List<(EntityKind, int, Reading)>(50_000);

        // A plain reader: EF materialisation costs more than the engine's ingest at this volume.
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Kind, EntityId, At, Views, Likes, Comments, Shares, Followers FROM Snapshots WHERE At >= @from";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@from";
        parameter.Value = connection is SqliteConnection ? SqliteText(from) : from;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var at = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc);
            batch.Add(((EntityKind)reader.GetInt32(0), reader.GetInt32(1),
                new Reading(at.Ticks, reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7))));
            if (batch.Count == batch.Capacity)
            {
                engine.Ingest(batch);
                loaded += batch.Count;
                batch.Clear();
            }
        }

        engine.Ingest(batch);
        return loaded + batch.Count;
    }

    /// <summary>The text form EF Core's SQLite provider stores DateTimes in, so ordering and range filters agree.</summary>
    private static string SqliteText(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The fast path: prepared multi-row INSERTs on the connection and transaction of the attempt's context
    /// (begun by <see cref="TerminalDatabase.InTransactionAsync{T}"/>, committed by it when this returns).
    /// </summary>
    private static async Task<int> InsertSqliteAsync(TerminalDbContext db, IEnumerable<MetricSnapshot> snapshots, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        await using (var pragma = connection.CreateCommand())
        {
            // A big page cache keeps the (Kind, EntityId, At) index in memory while rows arrive in time order.
            pragma.Transaction = transaction;
            pragma.CommandText = "PRAGMA cache_size = -65536;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        // Many rows per statement: the per-call cost of the provider is paid once per RowsPerStatement rows.
        await using var many = Prepare(connection, transaction, RowsPerStatement);
        await using var one = Prepare(connection, transaction, 1);
        var buffer = new MetricSnapshot[RowsPerStatement];
        var buffered = 0;
        var written = 0;
        foreach (var s in snapshots)
        {
            buffer[buffered++] = s;
            if (buffered == RowsPerStatement)
            {
                Execute(many, buffer.AsSpan());
                written += buffered;
                buffered = 0;
                if ((written & 0xFFFF) < RowsPerStatement)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        for (var i = 0; i < buffered; i++)
        {
            Execute(one, buffer.AsSpan(i, 1));
        }

        return written + buffered;
    }

    /// <summary>
    /// The rows of one insert across the strategy's attempts: a collection (or a sequence materialised on
    /// the first attempt) is handed to every attempt; a streamed sequence only to attempts that start before
    /// any of it was read (a retry after that would silently skip or repeat rows, so it fails instead, naming why).
    /// </summary>
    private sealed class ReplayableRows(IEnumerable<MetricSnapshot> source)
    {
        private IEnumerable<MetricSnapshot> _source = source;
        private bool _read;

        public IEnumerable<MetricSnapshot> ForAttempt(bool stream)
        {
            if (_source is IReadOnlyCollection<MetricSnapshot> or ICollection<MetricSnapshot>)
            {
                return _source;
            }

            if (!stream && !_read)
            {
                _read = true;
                _source = _source.ToList();
                return _source;
            }

            return _read
                ? throw new InvalidOperationException(
                    "The database failed transiently after part of a streamed snapshot sequence was written; the transaction was rolled back and a streamed sequence cannot be replayed.")
                : Stream();
        }

        private IEnumerable<MetricSnapshot> Stream()
        {
            foreach (var s in _source)
            {
                _read = true;
                yield return s;
            }
        }
    }

    private const int RowsPerStatement = 64;

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = Enumerable.Range(0, rows).Select(r => $"($k{r}, $e{r}, $at{r}, $v{r}, $l{r}, $c{r}, $s{r}, $f{r})");
        command.CommandText = "INSERT INTO Snapshots (Kind, EntityId, At, Views, Likes, Comments, Shares, Followers) VALUES " + string.Join(", ", values);
        for (var r = 0; r < rows; r++)
        {
            foreach (var name in new[] { "$k", "$e", "$at", "$v", "$l", "$c", "$s", "$f" })
            {
                Add(command, name + r.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        command.Prepare();
        return command;
    }

    /// <summary>Binds the rows in order (8 parameters each) and runs the statement. Synchronous on purpose:
    /// Microsoft.Data.Sqlite has no real async I/O, and a Task per statement would cost more than the insert.</summary>
    private static void Execute(SqliteCommand command, ReadOnlySpan<MetricSnapshot> rows)
    {
        var parameters = command.Parameters;
        for (var r = 0; r < rows.Length; r++)
        {
            var s = rows[r];
            var p = r * 8;
            parameters[p].Value = (int)s.Kind;
            parameters[p + 1].Value = s.EntityId;
            parameters[p + 2].Value = SqliteText(s.At);
            parameters[p + 3].Value = s.Views;
            parameters[p + 4].Value = s.Likes;
            parameters[p + 5].Value = s.Comments;
            parameters[p + 6].Value = s.Shares;
            parameters[p + 7].Value = s.Followers;
        }

        command.ExecuteNonQuery();
    }

    private static DbParameter Add(SqliteCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
