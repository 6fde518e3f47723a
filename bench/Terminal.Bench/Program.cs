using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Data;
using Terminal.Data.Market;

// Issue #15: `history` — restart time and memory over simulated weeks of demo history, before and after thinning (HistoryBench).
if (args is ["history", ..])
{
    return await HistoryBench.RunAsync(args[1..]);
}

if (args is ["restart-probe", ..])
{
    return await HistoryBench.ProbeMainAsync(args[1..]);
}

// SPEC §7 trend-engine bars, side by side in one run:
//   1. full ranking of N entities from the engine's incremental state (goal ≤ 50 ms);
//   2. the same ranking recomputed with a SQL GROUP BY over the stored snapshots in SQLite (engine ≥ 20× faster);
//   3. snapshot ingest rate into the engine (goal ≥ 50,000/s).
// Usage: dotnet run -c Release --project bench/Terminal.Bench -- [entities=100000] [everyHours=24] [days=30]
var entities = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var everyHours = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 24;
var days = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
const int Runs = 15;
var now = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
var period = Period.Day;

Console.WriteLine($"Clip Terminal trend-engine benchmark — {entities:N0} clips, a reading every {everyHours} h over {days} d, period {period.ToWire()}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

// ---- data: clips with viral curves, published over the history ------------------------------------
var rng = new Random(20261124);
var infos = new List<EntityInfo>(entities + 1_000);
const int Creators = 1_000;
for (var c = 1; c <= Creators; c++)
{
    infos.Add(new EntityInfo(EntityKind.Creator, c, $"creator{c}", Platforms.All[c % 3], 1 + (c % 12)));
}

var snapshots = new List<MetricSnapshot>();
for (var k = 1; k <= entities; k++)
{
    var published = now.AddHours(-rng.NextDouble() * days * 24);
    var creator = rng.Next(1, Creators + 1);
    infos.Add(new EntityInfo(EntityKind.Clip, k, $"clip {k}", Platforms.All[rng.Next(3)], 1 + (creator % 12), creator, rng.Next(1, 5_000), published));
    var ultimate = Math.Exp(9 + (rng.NextDouble() * 5));
    var tau = 2 + (rng.NextDouble() * 60);
    snapshots.Add(new MetricSnapshot { Kind = EntityKind.Clip, EntityId = k, At = published });
    var at = published.AddHours(rng.NextDouble() * everyHours);
    while (at < now)
    {
        var views = (long)(ultimate * (1 - Math.Exp(-(at - published).TotalHours / tau)));
        snapshots.Add(new MetricSnapshot { Kind = EntityKind.Clip, EntityId = k, At = at, Views = views, Likes = views / 12 });
        at = at.AddHours(everyHours);
    }

    var last = now.AddMinutes(-rng.NextDouble() * 30);
    if (last > published)
    {
        var views = (long)(ultimate * (1 - Math.Exp(-(last - published).TotalHours / tau)));
        snapshots.Add(new MetricSnapshot { Kind = EntityKind.Clip, EntityId = k, At = last, Views = views, Likes = views / 12 });
    }
}

snapshots.Sort((a, b) => a.At.CompareTo(b.At)); // a feed delivers in time order
Console.WriteLine($"{snapshots.Count:N0} snapshots generated");

// ---- 3. ingest ------------------------------------------------------------------------------------
using var engine = new TrendEngine(new FixedClock(now));
engine.Register(infos);
var watch = Stopwatch.StartNew();
foreach (var batch in snapshots.Chunk(1_000))
{
    engine.Ingest(new MarketUpdate(now, batch)); // the feed path: one MarketUpdate per batch
}

watch.Stop();
var ingestRate = snapshots.Count / watch.Elapsed.TotalSeconds;

// ---- 1. full ranking from incremental state -------------------------------------------------------
var query = new TrendQuery(EntityKind.Clip, null, period, 50);
var engineTimes = new List<double>();
var engineCpu = new List<double>();
TrendResult ranking = engine.Query(query, now.AddSeconds(-1)); // warm-up (JIT; cursors seek once)
for (var i = 0; i < Runs; i++)
{
    // Each run is a later instant (a tick later): the windows slide, as they do live.
    var cpu = Cpu();
    watch.Restart();
    ranking = engine.Query(query, now.AddMilliseconds(i));
    engineTimes.Add(watch.Elapsed.TotalMilliseconds);
    engineCpu.Add(Cpu() - cpu);
}

ranking = engine.Query(query, now);

_ = engine.Query(query); // fills the cache at the engine's clock
watch.Restart();
var cached = engine.Query(query);
var cachedMs = watch.Elapsed.TotalMilliseconds;

// ---- 2. SQL GROUP BY over the snapshots (SQLite, same schema and indexes as the app) --------------
var dir = Path.Combine(Path.GetTempPath(), "clip-terminal-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dir);
var cs = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "bench.db"), Pooling = false }.ToString();
var options = new DbContextOptionsBuilder<SqliteTerminalDbContext>().UseSqlite(cs).Options;
await using (var db = new SqliteTerminalDbContext(options))
{
    await db.Database.MigrateAsync();
    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
}

var store = new MarketStore(new Factory(options));
watch.Restart();
await store.InsertSnapshotsAsync(snapshots, CancellationToken.None);
var sqliteInsertRate = snapshots.Count / watch.Elapsed.TotalSeconds;
await using (var db = new SqliteTerminalDbContext(options))
{
    // Platforms and publication times of clips, as the app stores them.
    var connection = (SqliteConnection)db.Database.GetDbConnection();
    await connection.OpenAsync();
    await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
    await using var cmd = connection.CreateCommand();
    cmd.Transaction = tx;
    cmd.CommandText = "CREATE TABLE BenchClips (Id INTEGER PRIMARY KEY, Platform INTEGER NOT NULL, PublishedAt TEXT NOT NULL)";
    await cmd.ExecuteNonQueryAsync();
    cmd.CommandText = "INSERT INTO BenchClips VALUES ($id, $p, $at)";
    var pId = cmd.Parameters.Add("$id", SqliteType.Integer);
    var pPlatform = cmd.Parameters.Add("$p", SqliteType.Integer);
    var pAt = cmd.Parameters.Add("$at", SqliteType.Text);
    foreach (var info in infos.Where(i => i.Kind == EntityKind.Clip))
    {
        pId.Value = info.Id;
        pPlatform.Value = (int)info.Platform!.Value;
        pAt.Value = Text(info.PublishedAt!.Value);
        await cmd.ExecuteNonQueryAsync();
    }

    await tx.CommitAsync();
}

var sql = """
    WITH marks AS (
        SELECT EntityId,
               MAX(CASE WHEN At <= $now THEN At END) AS tNow,
               MAX(CASE WHEN At <= $a THEN At END) AS tA,
               MAX(CASE WHEN At <= $b THEN At END) AS tB,
               MIN(At) AS tFirst
        FROM Snapshots
        WHERE Kind = 2
        GROUP BY EntityId),
    vals AS (
        SELECT m.EntityId,
               (SELECT Views FROM Snapshots s WHERE s.Kind = 2 AND s.EntityId = m.EntityId AND s.At = COALESCE(m.tNow, m.tFirst)) AS vNow,
               (SELECT Views FROM Snapshots s WHERE s.Kind = 2 AND s.EntityId = m.EntityId AND s.At = COALESCE(m.tA, m.tFirst)) AS vA,
               (SELECT Views FROM Snapshots s WHERE s.Kind = 2 AND s.EntityId = m.EntityId AND s.At = COALESCE(m.tB, m.tFirst)) AS vB
        FROM marks m),
    vel AS (
        SELECT v.EntityId, c.Platform, c.PublishedAt, (v.vNow - v.vA) / $hours AS velocity, (v.vA - v.vB) / $hours AS previous
        FROM vals v JOIN BenchClips c ON c.Id = v.EntityId)
    SELECT EntityId, Platform, PublishedAt, velocity, previous,
           100.0 * CUME_DIST() OVER (PARTITION BY Platform ORDER BY velocity) AS percentile
    FROM vel
    """;
var sqlTimes = new List<double>();
var sqlCpu = new List<double>();
List<(int Id, double Velocity, double Heat)> sqlTop = [];
for (var i = 0; i < 3; i++)
{
    await using var db = new SqliteTerminalDbContext(options);
    var connection = (SqliteConnection)db.Database.GetDbConnection();
    await connection.OpenAsync();
    var cpuStart = Cpu();
    watch.Restart();
    await using var cmd = connection.CreateCommand();
    cmd.CommandText = sql;
    cmd.Parameters.AddWithValue("$now", Text(now));
    cmd.Parameters.AddWithValue("$a", Text(now - period.Length()));
    cmd.Parameters.AddWithValue("$b", Text(now - period.Length() - period.Length()));
    cmd.Parameters.AddWithValue("$hours", period.Length().TotalHours);
    var rows = new List<(int Id, double Velocity, double Heat)>(entities);
    await using (var reader = await cmd.ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            var published = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc);
            var velocity = reader.GetDouble(3);
            var heat = TrendFormulas.Heat(reader.GetDouble(5), TrendFormulas.Recency(now - published, period.Length()));
            rows.Add((reader.GetInt32(0), velocity, heat));
        }
    }

    sqlTop = rows.OrderByDescending(r => r.Heat).ThenByDescending(r => r.Velocity).ThenBy(r => r.Id).Take(50).ToList();
    sqlTimes.Add(watch.Elapsed.TotalMilliseconds);
    sqlCpu.Add(Cpu() - cpuStart);
}

SqliteConnection.ClearAllPools();
Directory.Delete(dir, recursive: true);

// ---- report ---------------------------------------------------------------------------------------
var engineMedian = Median(engineTimes);
var sqlMedian = Median(sqlTimes);
var same = sqlTop.Select(r => r.Id).SequenceEqual(ranking.Data.Select(d => d.Id))
    && sqlTop.Zip(ranking.Data).All(p => Math.Abs(p.First.Velocity - p.Second.Velocity) < 1e-6 && Math.Abs(p.First.Heat - p.Second.Heat) < 1e-6);
var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ')[0] : "?";
Console.WriteLine();
Console.WriteLine($"Load average at the end: {load} on {Environment.ProcessorCount} cores. Wall-clock times include time the OS gave to other processes; CPU time is this process's own.");
Console.WriteLine();
Console.WriteLine($"| ranking | wall median | wall min | CPU median |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
Console.WriteLine($"| engine, {entities:N0} clips | {engineMedian:F1} ms | {engineTimes.Min():F1} ms | {Median(engineCpu):F1} ms |");
Console.WriteLine($"| SQL GROUP BY, {snapshots.Count:N0} snapshots | {sqlMedian:F0} ms | {sqlTimes.Min():F0} ms | {Median(sqlCpu):F0} ms |");
Console.WriteLine();
Console.WriteLine("| measure | result | goal | met |");
Console.WriteLine("| --- | ---: | ---: | :---: |");
Console.WriteLine($"| full ranking of {entities:N0} clips from incremental state (wall median of {Runs}) | {engineMedian:F1} ms | ≤ 50 ms | {Mark(engineMedian <= 50)} |");
Console.WriteLine($"| same ranking by SQL GROUP BY over {snapshots.Count:N0} snapshots in SQLite (median of {sqlTimes.Count}) | {sqlMedian:F0} ms | — | |");
Console.WriteLine($"| engine speed-up over SQL | {sqlMedian / engineMedian:F0}× | ≥ 20× | {Mark(sqlMedian / engineMedian >= 20)} |");
Console.WriteLine($"| snapshot ingest into the engine (MarketUpdate batches of 1,000) | {ingestRate:N0} /s | ≥ 50,000 /s | {Mark(ingestRate >= 50_000)} |");
Console.WriteLine($"| (info) snapshot bulk insert into SQLite (one prepared INSERT, one transaction) | {sqliteInsertRate:N0} /s | — | |");
Console.WriteLine($"| (info) cached ranking read, top 50 (what the API and ticks serve between ticks) | {cachedMs:F3} ms | — | |");
Console.WriteLine($"| top 50 by SQL equals top 50 by engine | {(same ? "yes" : "NO")} | yes | {Mark(same)} |");
GC.KeepAlive(cached);
return same ? 0 : 1;

static string Mark(bool ok) => ok ? "✅" : "❌";
static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static string Text(DateTime value) => value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);

internal sealed class FixedClock(DateTime now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
}

internal sealed class Factory(DbContextOptions<SqliteTerminalDbContext> options) : IDbContextFactory<TerminalDbContext>
{
    public TerminalDbContext CreateDbContext() => new SqliteTerminalDbContext(options);
}
