using System.Diagnostics;
using System.Globalization;
using Terminal.Core.Insights;
using Terminal.Jobs.DemoMarket;

// SPEC §10 / issue 13: a full pattern run (every tested feature group: ratio of medians, 2,000-resample
// seeded bootstrap, Mann–Whitney, Wilson, Benjamini–Hochberg, the log-linear model) on N demo clips (goal < 2 s for 100,000).
// Rows are the DEMO market's clips (planted effects included) with their exact views at 24 h.
// Usage: dotnet bench/Terminal.Bench.Insights/bin/Release/net10.0/Terminal.Bench.Insights.dll [clips=100000] [runs=5]
var clips = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var anchor = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
var options = new DemoFeedOptions { Creators = (int)Math.Ceiling(clips / 8.0), ClipsPerCreator = 8 };

Console.WriteLine($"Clip Terminal pattern-run benchmark — {clips:N0} demo clips, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
var build = Stopwatch.StartNew();
var model = new DemoMarketModel(options, anchor);
var rows = new List<InsightRow>(clips);
for (var i = 0; i < model.Clips.Count && rows.Count < clips; i++)
{
    var clip = model.Clips[i];
    var views = model.ClipAt(i, clip.PublishedAt + InsightMath.DefaultAge).Views;
    rows.Add(new InsightRow(InsightRows.ClipEntity(clip.Id), clip.CreatorId, InsightRows.ClipFeatures(clip), views));
}

Console.WriteLine($"rows built in {build.ElapsedMilliseconds:N0} ms: {rows.Count:N0}");
var times = new List<double>();
PatternResult? result = null;
for (var r = 0; r < runs + 1; r++)
{
    var sw = Stopwatch.StartNew();
    result = PatternDetector.Detect(rows);
    sw.Stop();
    if (r > 0)
    {
        times.Add(sw.Elapsed.TotalMilliseconds); // the first run warms the JIT
    }

    Console.WriteLine($"run {r}{(r == 0 ? " (warm-up)" : "")}: {sw.Elapsed.TotalMilliseconds:N1} ms");
}

times.Sort();
Console.WriteLine($"pattern run on {rows.Count:N0} clips: median {times[times.Count / 2]:N1} ms, min {times[0]:N1} ms, max {times[^1]:N1} ms ({result!.Findings.Count} groups, {result.Findings.Count(f => f.Significant)} significant) — goal < 2,000 ms");
foreach (var f in result.Findings.Where(f => f.Feature is "duration" or "daypart"))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {f.Feature}={f.Group}: effect {f.Effect:0.000} [{f.Low:0.000}, {f.High:0.000}] q {f.Q:0.###E+0}; adjusted {f.AdjustedEffect:0.000} [{f.AdjustedLow:0.000}, {f.AdjustedHigh:0.000}]"));
}

static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }
    catch (IOException)
    {
        return "n/a";
    }
}
