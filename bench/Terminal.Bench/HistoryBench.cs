using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Data;
using Terminal.Data.Market;
using Terminal.Jobs.DemoMarket;
using Terminal.Jobs.MarketHistory;

/// <summary>
/// Issue #15, "the demo that runs for weeks": N simulated days of demo snapshots written into two fresh
/// SQLite databases in a temp directory — one never pruned ("before"), one thinned by the real
/// <see cref="ThinMarketHistoryJob"/> after every simulated day ("after"; the job runs hourly in the app,
/// and thinning is idempotent and order-free, so once a day leaves the same rows) — and at each checkpoint
/// (default 30, 60, 90 days) a timed restart of each: <see cref="MarketStore.LoadEngineAsync"/> into a fresh
/// <see cref="TrendEngine"/> in a fresh child process (this executable with <c>restart-probe</c>), reporting
/// wall time, rows loaded, the managed heap after a full GC and the working-set delta of the load.
/// </summary>
/// <remarks>
/// Scale: the demo writes ≈ 1,000,000 snapshots a day over ≈ 2,700 entities (one reading per entity about every
/// 4 minutes). The bench keeps the per-entity rate (default a reading every 4 minutes: the thinning buckets see
/// the same shape — 7 days full, hourly to 30, daily after) and writes readings for every
/// <c>--entity-divisor</c>-th demo entity only (default 100: 28 entities, ≈ 10,000 snapshots a day, ≈ 1/100 of
/// the demo). All ≈ 2,700 demo entities are stored and registered at each restart, as in the app.
/// <code>
///   dotnet build bench/Terminal.Bench -c Release
///   dotnet bench/Terminal.Bench/bin/Release/net10.0/Terminal.Bench.dll history [--days 90] [--checkpoints 30,60,90] [--entity-divisor 100] [--every-minutes 4]
/// </code>
/// </remarks>
internal static class HistoryBench
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<int> RunAsync(string[] args)
    {
        var days = Option(args, "--days", 90);
        var divisor = Option(args, "--entity-divisor", 100);
        var everyMinutes = Option(args, "--every-minutes", 4);
        var checkpoints = (OptionText(args, "--checkpoints") ?? "30,60,90").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).Where(c => c <= days).ToHashSet();

        var model = new DemoMarketModel(new DemoFeedOptions(), Start);
        var all = model.Topics.Select(t => (EntityKind.Topic, t.Id))
            .Concat(model.Creators.Select(c => (EntityKind.Creator, c.Id)))
            .Concat(model.Clips.Select(c => (EntityKind.Clip, c.Id)))
            .ToList();
        var written = all.Where((_, i) => i % divisor == 0).ToArray();
        var perDay = written.Length * (1440 / everyMinutes);
        Console.WriteLine($"Demo history bench — {days} simulated days, readings for {written.Length:N0} of {all.Count:N0} demo entities (every {divisor}th) "
            + $"every {everyMinutes} min: {perDay:N0} snapshots a day (the demo: ≈ 1,000,000 a day, so 1/{1_000_000.0 / perDay:F0} of it); "
            + $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");

        var dir = Path.Combine(Path.GetTempPath(), "clip-terminal-history-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var raw = await CreateAsync(Path.Combine(dir, "never-pruned.db"), model);
            var thinned = await CreateAsync(Path.Combine(dir, "thinned.db"), model);
            var progress = new MarketHistoryProgress(); // the job's per-process memory, as in the app between restarts
            var rows = new List<string>();
            var writeTime = TimeSpan.Zero;
            var thinTime = TimeSpan.Zero;
            long deleted = 0;
            var total = Stopwatch.StartNew();
            for (var d = 0; d < days; d++)
            {
                var watch = Stopwatch.StartNew();
                await raw.Store.InsertSnapshotsAsync(Day(d, written, everyMinutes), CancellationToken.None);
                await thinned.Store.InsertSnapshotsAsync(Day(d, written, everyMinutes), CancellationToken.None);
                writeTime += watch.Elapsed;

                var now = Start.AddDays(d + 1);
                watch.Restart();
                var job = new ThinMarketHistoryJob(new MarketHistoryStore(thinned.Factory), progress, new FixedClock(now), NullLogger<ThinMarketHistoryJob>.Instance);
                deleted += (await job.RunAsync(CancellationToken.None)).Deleted;
                thinTime += watch.Elapsed;

                if (!checkpoints.Contains(d + 1))
                {
                    continue;
                }

                foreach (var (label, db) in new[] { ("before (never pruned)", raw), ("after (thinned)", thinned) })
                {
                    var (stored, window) = await CountAsync(db.Factory, now);
                    var probe = await ProbeAsync(db.Path, now);
                    var ok = probe.Loaded == window;
                    rows.Add($"| {d + 1} | {label} | {stored:N0} | {probe.Loaded:N0}{(ok ? "" : $" ≠ {window:N0} in the window ❌")} | {probe.Milliseconds:N0} ms "
                        + $"| {Mb(probe.HeapAfter):N1} MB | {Mb(probe.HeapAfter - probe.HeapBefore):N1} MB | {Mb(probe.WorkingSetAfter - probe.WorkingSetBefore):N1} MB |");
                    Console.WriteLine(rows[^1]);
                }
            }

            var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ')[0] : "?";
            Console.WriteLine();
            Console.WriteLine($"Total {total.Elapsed.TotalSeconds:N0} s: writing {writeTime.TotalSeconds:N0} s (both databases), thinning {thinTime.TotalSeconds:N0} s "
                + $"({deleted:N0} snapshots deleted). Load average at the end: {load} on {Environment.ProcessorCount} cores.");
            Console.WriteLine();
            Console.WriteLine("| days | history | snapshots stored | rows a restart loads | restart wall time | managed heap after load (full GC) | heap delta of the load | working-set delta of the load |");
            Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in rows)
            {
                Console.WriteLine(row);
            }

            return rows.Any(r => r.Contains('❌', StringComparison.Ordinal)) ? 1 : 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The child side: one restart of the app's market state from <c>db</c> at <c>now</c>, as
    /// <c>MarketBootstrapper</c> does it, measured from a warmed-up but empty process.
    /// </summary>
    public static async Task<int> ProbeMainAsync(string[] args)
    {
        var path = args[0];
        var now = new DateTime(long.Parse(args[1], CultureInfo.InvariantCulture), DateTimeKind.Utc);
        var factory = FactoryFor(path);
        await using (var db = await factory.CreateDbContextAsync())
        {
            _ = await db.Snapshots.CountAsync(s => s.At < Start); // open SQLite and build the EF model before measuring
        }

        var store = new MarketStore(factory);
        var (heapBefore, wsBefore) = Memory();
        var watch = Stopwatch.StartNew();
        using var engine = new TrendEngine(new FixedClock(now));
        var loaded = await store.LoadEngineAsync(engine, now, CancellationToken.None);
        var ms = watch.Elapsed.TotalMilliseconds;
        var (heapAfter, wsAfter) = Memory();
        GC.KeepAlive(engine);
        Console.WriteLine(string.Join(' ', loaded, ms.ToString("F1", CultureInfo.InvariantCulture), heapBefore, heapAfter, wsBefore, wsAfter));
        return 0;
    }

    private static (long Heap, long WorkingSet) Memory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }

    private static async Task<Probe> ProbeAsync(string path, DateTime now)
    {
        SqliteConnection.ClearAllPools();
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.FileName = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet")
        {
            info.ArgumentList.Add(typeof(HistoryBench).Assembly.Location);
        }

        info.ArgumentList.Add("restart-probe");
        info.ArgumentList.Add(path);
        info.ArgumentList.Add(now.Ticks.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"restart probe failed ({process.ExitCode}): {await error}");
        }

        var parts = (await output).Trim().Split(' ');
        return new Probe(int.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture),
            long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture),
            long.Parse(parts[4], CultureInfo.InvariantCulture), long.Parse(parts[5], CultureInfo.InvariantCulture));
    }

    /// <summary>Snapshots stored, and those at or after the restart's window start (what a restart should load).</summary>
    private static async Task<(long Stored, long Window)> CountAsync(IDbContextFactory<TerminalDbContext> factory, DateTime now)
    {
        await using var db = await factory.CreateDbContextAsync();
        var from = now - TrendEngine.Retention - TimeSpan.FromDays(1);
        return (await db.Snapshots.LongCountAsync(), await db.Snapshots.LongCountAsync(s => s.At >= from));
    }

    /// <summary>Day <paramref name="day"/>'s readings in time order (a feed delivers in time order); each entity on its own phase.</summary>
    private static IEnumerable<MetricSnapshot> Day(int day, (EntityKind Kind, int Id)[] entities, int everyMinutes)
    {
        var from = Start.AddDays(day);
        var step = TimeSpan.FromMinutes(everyMinutes);
        var phaseStep = step / entities.Length;
        for (var t = from; t < from.AddDays(1); t += step)
        {
            for (var i = 0; i < entities.Length; i++)
            {
                var at = t + (phaseStep * i);
                var minutes = (long)(at - Start).TotalMinutes;
                var views = (minutes * (1 + (i % 7))) + (i * 1_000);
                yield return new MetricSnapshot
                {
                    Kind = entities[i].Kind, EntityId = entities[i].Id, At = at,
                    Views = views, Likes = views / 12, Comments = views / 90, Shares = views / 300, Followers = entities[i].Kind == EntityKind.Creator ? 10_000 + (minutes / 3) : 0,
                };
            }
        }
    }

    private static async Task<(string Path, IDbContextFactory<TerminalDbContext> Factory, MarketStore Store)> CreateAsync(string path, DemoMarketModel model)
    {
        var factory = FactoryFor(path);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        var store = new MarketStore(factory);
        await store.InsertEntitiesAsync(model.Topics, model.Creators, model.Clippers, model.Vods, model.Clips, CancellationToken.None);
        return (path, factory, store);
    }

    private static IDbContextFactory<TerminalDbContext> FactoryFor(string path) =>
        new Factory(new DbContextOptionsBuilder<SqliteTerminalDbContext>().UseSqlite(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()).Options);

    private static double Mb(long bytes) => bytes / 1_048_576.0;

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private readonly record struct Probe(int Loaded, double Milliseconds, long HeapBefore, long HeapAfter, long WorkingSetBefore, long WorkingSetAfter);
}
