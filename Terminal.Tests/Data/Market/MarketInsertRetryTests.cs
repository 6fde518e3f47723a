using System.Collections;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Data.Market;

namespace Terminal.Tests.Data.Market;

/// <summary>
/// The market's bulk snapshot insert on SQLite under <see cref="SqliteRetryingExecutionStrategy"/>: it runs
/// inside <see cref="TerminalDatabase.InTransactionAsync{T}"/>, so a database another writer holds past the
/// busy timeout is retried instead of faulting the feed, and a retry never writes a row twice or skips one.
/// </summary>
public sealed class MarketInsertRetryTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "clip-terminal-tests", Guid.NewGuid().ToString("N"));
    private string _connectionString = "";
    private IDbContextFactory<TerminalDbContext> _contexts = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        // A one-second busy timeout: a writer holding the database longer makes the insert's BEGIN fail with SQLITE_BUSY.
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "terminal.db"), Pooling = false, DefaultTimeout = 1 }.ToString();
        _contexts = new Contexts(new DbContextOptionsBuilder<SqliteTerminalDbContext>()
            .UseSqlite(_connectionString, s => s.ExecutionStrategy(d => new SqliteRetryingExecutionStrategy(d)))
            .Options);
        await using var db = await _contexts.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task InsertSnapshots_IsRetried_WhenAnotherWriterHoldsTheDatabasePastTheBusyTimeout()
    {
        var store = new MarketStore(_contexts);
        int written;
        await using (var other = new SqliteConnection(_connectionString))
        {
            await other.OpenAsync();
            await using var held = (SqliteTransaction)await other.BeginTransactionAsync(); // BEGIN IMMEDIATE: the write lock
            var insert = store.InsertSnapshotsAsync(Rows(1_000), CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // the first attempt gives up after 1 s
            insert.IsCompleted.Should().BeFalse("the insert waits for the lock, and is retried after the busy timeout instead of failing");
            await held.RollbackAsync();
            written = await insert;
        }

        written.Should().Be(1_000);
        (await StoredAsync()).Should().Be(1_000);
    }

    [Fact]
    public async Task AStreamedSequence_IsRetriedWhenBusyBeforeItWasRead_AndReadOnce()
    {
        var store = new MarketStore(_contexts);
        var stream = new CountingStream(Rows(300));
        await using (var other = new SqliteConnection(_connectionString))
        {
            await other.OpenAsync();
            await using var held = (SqliteTransaction)await other.BeginTransactionAsync();
            var insert = store.InsertSnapshotsAsync(stream, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await held.RollbackAsync();
            (await insert).Should().Be(300);
        }

        stream.Enumerations.Should().Be(1, "a backfill streams through the engine as it is written: it must be read exactly once");
        (await StoredAsync()).Should().Be(300);
    }

    [Fact]
    public async Task ACollection_IsReplayedWhole_WhenATransientFailureHitsMidInsert()
    {
        var rows = new FailsOnceMidway(Rows(500), failAfter: 200);

        var written = await new MarketStore(_contexts).InsertSnapshotsAsync(rows, CancellationToken.None);

        written.Should().Be(500);
        rows.Enumerations.Should().Be(2, "the first attempt failed after 200 rows and was rolled back");
        (await StoredAsync()).Should().Be(500, "the rolled-back attempt left nothing behind and the replay wrote every row once");
    }

    [Fact]
    public async Task AStreamedSequence_PartlyWritten_IsNotReplayed_AndLeavesNothing()
    {
        var insert = () => new MarketStore(_contexts).InsertSnapshotsAsync(FailingStream(Rows(500), failAfter: 200), CancellationToken.None);

        await insert.Should().ThrowAsync<InvalidOperationException>().WithMessage("*streamed sequence cannot be replayed*");
        (await StoredAsync()).Should().Be(0, "the failed attempt was rolled back");
    }

    private async Task<int> StoredAsync()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.Snapshots.CountAsync();
    }

    private static List<MetricSnapshot> Rows(int count) =>
        Enumerable.Range(0, count)
            .Select(i => new MetricSnapshot { Kind = EntityKind.Creator, EntityId = 1 + (i % 7), At = Start.AddMinutes(i), Views = 1_000 + i, Likes = i })
            .ToList();

    private static SqliteException Busy() => new("database is locked", 5);

    private static IEnumerable<MetricSnapshot> FailingStream(List<MetricSnapshot> rows, int failAfter)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (i == failAfter)
            {
                throw Busy();
            }

            yield return rows[i];
        }
    }

    /// <summary>A one-shot sequence (not a collection) that counts how often it is enumerated.</summary>
    private sealed class CountingStream(List<MetricSnapshot> rows) : IEnumerable<MetricSnapshot>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<MetricSnapshot> GetEnumerator()
        {
            Enumerations++;
            return rows.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A collection whose first enumeration reports a busy database after <paramref name="failAfter"/> rows.</summary>
    private sealed class FailsOnceMidway(List<MetricSnapshot> rows, int failAfter) : IReadOnlyCollection<MetricSnapshot>
    {
        public int Enumerations { get; private set; }

        public int Count => rows.Count;

        public IEnumerator<MetricSnapshot> GetEnumerator() => ++Enumerations == 1 ? FailingStream(rows, failAfter).GetEnumerator() : rows.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class Contexts(DbContextOptions<SqliteTerminalDbContext> options) : IDbContextFactory<TerminalDbContext>
    {
        public TerminalDbContext CreateDbContext() => new SqliteTerminalDbContext(options);
    }
}
