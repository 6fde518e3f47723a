// SPEC §7 clip extraction overhead: job time ÷ bare ffmpeg time for the same cut, in one run, for fast (keyframe copy),
// smart-exact (issue 17: re-encode only the partial GOPs at the ends) and re-encode-exact (the full re-encode fallback).
//   dotnet run -c Release --project bench/Terminal.Bench.Clips -- [vodMinutes=20] [cutSeconds=60] [cutsPerMode=5]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Terminal.Core;
using Terminal.Core.Clips;
using Terminal.Core.Credits;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Data.Accounts;
using Terminal.Jobs;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;

var inv = CultureInfo.InvariantCulture;
var vodMinutes = args.Length > 0 ? double.Parse(args[0], inv) : 20;
var cutSeconds = args.Length > 1 ? double.Parse(args[1], inv) : 60;
var cutsPerMode = args.Length > 2 ? int.Parse(args[2], inv) : 5;
var dataDirectory = Path.Combine(Path.GetTempPath(), "clip-terminal-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dataDirectory);

var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Terminal:DataDirectory"] = dataDirectory,
    ["Terminal:DemoFeed:Enabled"] = "false",
    ["Terminal:Clips:MaxConcurrentJobs"] = "1",
    ["Terminal:Media:MaxDemoSeconds"] = "21600",
});
builder.Logging.AddFilter("Terminal", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Quartz", LogLevel.Warning);
builder.Services.AddTerminalCore();
builder.Services.AddTerminalData(builder.Configuration);
builder.AddTerminalJobs();
var done = new ConcurrentDictionary<Guid, TaskCompletionSource<ClipStatus>>();
builder.Services.AddSingleton<IClipProgressNotifier>(new CompletionNotifier(done));

// The web host provides the public base URL; this jobs-only host has no web server, so jobs that build links
// (the linked-account maintenance job) get a fixed one.
builder.Services.AddSingleton<Terminal.Core.Common.IPublicBaseUrl>(new BenchBaseUrl());

using var host = builder.Build();
await host.Services.InitialiseTerminalDatabaseAsync();
await host.StartAsync();
try
{
    var services = host.Services;
    var dbFactory = services.GetRequiredService<IDbContextFactory<TerminalDbContext>>();
    var vodId = Guid.NewGuid();
    var userId = Guid.NewGuid().ToString();
    await using (var db = await dbFactory.CreateDbContextAsync())
    {
        db.Topics.Add(new Topic { Id = 1, Slug = "bench", Name = "Bench" });
        db.Creators.Add(new Creator { Id = 1, Handle = "bench", DisplayName = "Bench", Platform = Platform.YouTube, TopicId = 1, CreatedAt = DateTime.UtcNow });
        db.Vods.Add(new Vod { Id = vodId, CreatorId = 1, Title = "Bench VOD", SourceUrl = $"demo://vod/{vodId}", Status = VodStatus.Ready, DurationSeconds = vodMinutes * 60, IsDemo = true, PublishedAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow });
        db.Users.Add(new TerminalUser { Id = userId, UserName = "bench@local", Email = "bench@local", NormalizedEmail = "BENCH@LOCAL", NormalizedUserName = "BENCH@LOCAL", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    await services.GetRequiredService<ICreditLedger>().GrantAsync(userId, 1_000_000, CreditReason.AdminAdjustment, "bench");

    Console.WriteLine($"Generating a {vodMinutes} min demo VOD (480x270, 25 fps, H.264/AAC)…");
    var generate = Stopwatch.StartNew();
    var vod = await (await dbFactory.CreateDbContextAsync()).Vods.AsNoTracking().FirstAsync(v => v.Id == vodId);
    var input = await services.GetRequiredService<MediaSources>().ResolveAsync(vod, CancellationToken.None);
    Console.WriteLine($"  generated in {generate.Elapsed.TotalSeconds:0.0} s: {input.Url}");

    // A VOD's keyframe index is read when it is prepared (VodMediaService) and stored next to it; this VOD was seeded
    // ready, so index it the same way once, outside the measured cuts.
    var keyframes = services.GetRequiredService<KeyframeProbe>();
    var indexing = Stopwatch.StartNew();
    if (!await keyframes.IndexAsync(input, CancellationToken.None))
    {
        throw new InvalidOperationException("the bench VOD could not be indexed");
    }

    Console.WriteLine($"  keyframe index read and stored in {indexing.Elapsed.TotalSeconds:0.000} s");

    var clips = services.GetRequiredService<ClipService>();
    var bareFolder = Directory.CreateDirectory(Path.Combine(dataDirectory, "bare")).FullName;
    var rows = new List<(string Mode, double Start, double Job, double Bare)>();
    // Per-phase wall times of the bare smart cuts (the job runs the same commands; its index cache can skip the probe).
    var phases = new List<(double Probe, double Parts, double Join, int Processes)>();
    ClipCutStrategy? lastStrategy = null;
    var random = new Random(20261125);

    // Warm-up (JIT, EF model, Quartz, the file cache) — not measured.
    await RunJobAsync(ClipMode.Fast, 1, 3);
    await RunBare(ClipMode.Fast, false, 1, 3);

    foreach (var (label, mode, smart) in new[] { ("fast", ClipMode.Fast, true), ("smart-exact", ClipMode.Exact, true), ("reencode-exact", ClipMode.Exact, false) })
    {
        // The job reads Terminal:Clips:SmartCut per cut (IOptionsMonitor), so one host runs both exact strategies.
        builder.Configuration["Terminal:Clips:SmartCut"] = smart ? "true" : "false";
        ((IConfigurationRoot)builder.Configuration).Reload();
        for (var i = 0; i < cutsPerMode; i++)
        {
            var start = Math.Round(random.NextDouble() * (vodMinutes * 60 - cutSeconds - 1), 3);
            // Alternate the order so neither side always gets the warmer cache.
            double job, bare;
            if (i % 2 == 0)
            {
                bare = await RunBare(mode, smart, start, start + cutSeconds);
                job = await RunJobAsync(mode, start, start + cutSeconds);
            }
            else
            {
                job = await RunJobAsync(mode, start, start + cutSeconds);
                bare = await RunBare(mode, smart, start, start + cutSeconds);
            }

            var strategy = lastStrategy;
            if (strategy != (mode == ClipMode.Fast ? ClipCutStrategy.Copy : smart ? ClipCutStrategy.Smart : ClipCutStrategy.Reencode))
            {
                throw new InvalidOperationException($"{label} job was cut as {strategy}");
            }

            rows.Add((label, start, job, bare));
            var detail = mode == ClipMode.Exact && smart && phases.Count > 0
                ? $"  [bare: {phases[^1].Processes} processes; plan {phases[^1].Probe:0.000}s, head+tail {phases[^1].Parts:0.000}s, join {phases[^1].Join:0.000}s]"
                : "";
            Console.WriteLine($"  {label,-14} @{start,8:0.000}s  job {job,7:0.000}s  bare {bare,7:0.000}s  ratio {job / bare:0.000}{detail}");
        }
    }

    Console.WriteLine();
    Console.WriteLine($"| mode | cuts | cut length | job total (s) | bare ffmpeg total (s) | job ÷ bare | goal |");
    Console.WriteLine($"| --- | --- | --- | --- | --- | --- | --- |");
    foreach (var group in rows.GroupBy(r => r.Mode))
    {
        var job = group.Sum(r => r.Job);
        var bare = group.Sum(r => r.Bare);
        var ratio = job / bare;
        Console.WriteLine($"| {group.Key} | {group.Count()} | {cutSeconds:0} s | {job:0.000} | {bare:0.000} | {ratio:0.000} | ≤ 1.15 {(ratio <= 1.15 ? "✓" : "✗")} |");
    }

    double JobTotal(string mode) => rows.Where(r => r.Mode == mode).Sum(r => r.Job);
    var smartOverFast = JobTotal("smart-exact") / JobTotal("fast");
    Console.WriteLine();
    Console.WriteLine($"smart-exact ÷ fast (job time): {smartOverFast:0.00}× (goal ≤ 2× {(smartOverFast <= 2 ? "✓" : "✗")}); re-encode-exact ÷ fast: {JobTotal("reencode-exact") / JobTotal("fast"):0.00}×; re-encode ÷ smart: {JobTotal("reencode-exact") / JobTotal("smart-exact"):0.00}×");

    if (phases.Count > 0)
    {
        Console.WriteLine($"bare smart-exact per cut (mean of {phases.Count}): plan from the stored index {phases.Average(p => p.Probe):0.000} s → head+tail encode {phases.Average(p => p.Parts):0.000} s → join (body from the source, audio) {phases.Average(p => p.Join):0.000} s; {phases.Average(p => p.Processes):0.0} processes");
    }

    async Task<double> RunJobAsync(ClipMode mode, double start, double end)
    {
        var watch = Stopwatch.StartNew();
        var request = await clips.RequestAsync(userId, vodId, start, end, mode);
        var completion = done.GetOrAdd(request.Id, _ => new TaskCompletionSource<ClipStatus>(TaskCreationOptions.RunContinuationsAsynchronously));
        var status = await completion.Task.WaitAsync(TimeSpan.FromMinutes(10));
        watch.Stop();
        var row = await clips.GetAsync(request.Id, null);
        if (status != ClipStatus.Ready)
        {
            throw new InvalidOperationException($"The job ended {status}: {row.Error}");
        }

        lastStrategy = row.Strategy;

        return watch.Elapsed.TotalSeconds;
    }

    // The same ffmpeg/ffprobe commands the job runs (same argument builders), as bare processes.
    async Task<double> RunBare(ClipMode mode, bool smart, double start, double end)
    {
        var output = Path.Combine(bareFolder, $"{Guid.NewGuid():N}.mp4");
        var watch = Stopwatch.StartNew();
        if (mode == ClipMode.Exact && smart)
        {
            // The job's path for an indexed H.264 MP4 VOD: the window from the index (no process), one ffmpeg for the head
            // and tail, one for the join with the body read straight from the source.
            var phase = Stopwatch.StartNew();
            var window = await keyframes.ProbeAsync(input, start, end, CancellationToken.None)
                ?? throw new InvalidOperationException("no keyframe window");
            var plan = SmartCutPlanner.Plan(window, start, end).Plan
                ?? throw new InvalidOperationException("the bench source should be smart-cuttable");
            if (!ClipCommands.CanJoinFromSource(window))
            {
                throw new InvalidOperationException("the bench source should be joinable from the source");
            }

            var planSeconds = phase.Elapsed.TotalSeconds;
            string head = output + ".head.mp4", tail = output + ".tail.mp4", list = output + ".ffconcat";
            var processes = 0;
            phase.Restart();
            if (ClipCommands.SmartEdges(input, plan, head, tail) is { } edges)
            {
                await RunProcess("ffmpeg", edges);
                processes++;
            }

            var partsSeconds = phase.Elapsed.TotalSeconds;
            phase.Restart();
            await File.WriteAllTextAsync(list, ClipCommands.SmartSourceConcatList(plan, head, Path.GetFullPath(input.Url), window.StartTime, tail));
            var copyAudio = ClipCommands.CanCopyAudio(window);
            await RunProcess("ffmpeg", ClipCommands.SmartJoin(list, null, plan, output, copyAudio ? input : null, window.Audio is { } audio && !copyAudio ? (input, audio) : null));
            processes++;
            watch.Stop();
            phases.Add((planSeconds, partsSeconds, phase.Elapsed.TotalSeconds, processes));
            foreach (var part in new[] { head, tail, list })
            {
                File.Delete(part);
            }
        }
        else
        {
            await RunProcess("ffmpeg", ClipCommands.Cut(input, mode, start, end - start, output));
            watch.Stop();
        }

        File.Delete(output);
        return watch.Elapsed.TotalSeconds;
    }

    static async Task<string> RunProcess(string tool, IReadOnlyList<string> arguments)
    {
        var start_ = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start_.ArgumentList.Add("-hide_banner");
        foreach (var argument in arguments)
        {
            start_.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start_)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(stderr, stdout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bare {tool} failed: " + await stderr);
        }

        return await stdout;
    }
}
finally
{
    await host.StopAsync();
    try
    {
        Directory.Delete(dataDirectory, recursive: true);
    }
    catch (IOException)
    {
        // Left for the temp cleaner.
    }
}

/// <summary>Completes a waiter when a clip reaches a final status (the benchmark's "job done" signal).</summary>
internal sealed class CompletionNotifier(ConcurrentDictionary<Guid, TaskCompletionSource<ClipStatus>> done) : IClipProgressNotifier
{
    public Task NotifyAsync(string userId, ClipProgress progress, CancellationToken cancellationToken = default)
    {
        if (progress.Status is ClipStatus.Ready or ClipStatus.Failed or ClipStatus.Cancelled)
        {
            done.GetOrAdd(progress.RequestId, _ => new TaskCompletionSource<ClipStatus>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(progress.Status);
        }

        return Task.CompletedTask;
    }
}

internal sealed class BenchBaseUrl : Terminal.Core.Common.IPublicBaseUrl
{
    public string? Configured => "http://localhost";

    public string Resolve(string? requestBase = null) => "http://localhost";
}
