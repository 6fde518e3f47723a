// Issue #12 bench: a simulated day of the public YouTube market (SPEC §9) — 500 monitored channels with
// about 4,000 moving videos — against an in-process fake of the Data API v3 that speaks its JSON (counts as
// strings, uploads playlists, liveStreamingDetails). The real app (Program) runs in-process with the demo
// off; its poll job is paused and the bench drives the same YouTubeMarketPoller the job calls, once per
// simulated minute (the job's wake-up), over the 24 hours that end now. Reported: units used in the day
// (every request the fake answered is 1 unit, as Google charges reads), the app's own ledger, calls per
// poll, and the wall time from the fake's last answer of a poll to the TrendTick that carries it.
//
//   dotnet build bench/Terminal.Bench.Market -c Release
//   dotnet run -c Release --no-build --project bench/Terminal.Bench.Market [-- channels videosPerChannel]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Core.Trends;
using Terminal.Jobs.RealMarket;

/// <summary>The bench's entry point (a class, not top-level statements: the app's own <c>Program</c> is referenced).</summary>
internal static class MarketBench
{
    public static async Task<int> Main(string[] args)
    {
        var channels = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var videosPerChannel = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var end = DateTime.UtcNow;
        var start = end.AddHours(-24);
        var fake = new FakeYouTube(channels, videosPerChannel, start);
        await using var fakeApp = fake.Build();
        await fakeApp.StartAsync();
        var fakeUrl = fakeApp.Urls.First();

        var dataDir = Path.Combine(Path.GetTempPath(), "clip-terminal-market-bench-" + Guid.NewGuid().ToString("N")[..8]);
        await using var app = new BenchApp(dataDir, fakeUrl + "/youtube/v3");
        app.StartRealServer();
        var services = app.Services;
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.PauseJob(YouTubeMarketJob.Key); // the bench drives the poller on simulated time
        var store = services.GetRequiredService<IMarketSourceStore>();
        for (var i = 0; i < channels; i++)
        {
            // Setup by the store (the admin API would add one forHandle call per channel: 500 units once, not daily).
            await store.AddCreatorAsync(new NewCreator(Platform.YouTube, FakeYouTube.ChannelId(i), $"bench{i:D4}", $"Bench {i}", "Bench", FakeYouTube.Uploads(i), null), start);
        }

        var poller = services.GetRequiredService<YouTubeMarketPoller>();
        var ticker = services.GetRequiredService<ITrendTicker>();
        long tickArrival = 0;
        using var subscription = ticker.Subscribe("trends:creators:youtube:24h", _ => Interlocked.CompareExchange(ref tickArrival, Stopwatch.GetTimestamp(), 0));

        var polls = new List<PollOutcome>();
        var latencies = new List<double>();
        var wall = Stopwatch.StartNew();
        for (var now = start; now < end; now = now.AddMinutes(1))
        {
            fake.Now = now;
            var callsBefore = fake.Calls;
            Interlocked.Exchange(ref tickArrival, 0);
            var outcome = await poller.PollAsync(now, force: false, CancellationToken.None);
            if (fake.Calls == callsBefore)
            {
                continue;
            }

            polls.Add(outcome);
            var lastAnswer = fake.LastAnswerTimestamp;
            var deadline = Stopwatch.StartNew();
            while (Interlocked.Read(ref tickArrival) is var t && (t == 0 || t < lastAnswer) && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                Interlocked.Exchange(ref tickArrival, 0);
                await Task.Delay(5);
            }

            if (Interlocked.Read(ref tickArrival) is var arrival and > 0 && arrival >= lastAnswer)
            {
                latencies.Add(Stopwatch.GetElapsedTime(lastAnswer, arrival).TotalMilliseconds);
            }
        }

        wall.Stop();
        var ledger = (await services.GetRequiredService<MarketSourcesService>().GetSourcesAsync(CancellationToken.None)).Single(s => s.Platform == Platform.YouTube);
        var calls = polls.Select(p => p.Calls).Order().ToList();
        latencies.Sort();
        double P(List<double> xs, double q) => xs.Count == 0 ? double.NaN : xs[Math.Min(xs.Count - 1, (int)Math.Ceiling(q * xs.Count) - 1)];
        var moving = fake.VideoCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulated day {start:yyyy-MM-dd HH:mm}–{end:HH:mm} UTC: {channels} channels, {moving} videos at the end ({fake.Uploaded} uploaded during the day)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Units used in the day: {fake.Calls} (channels.list {fake.CallsTo("channels")}, playlistItems.list {fake.CallsTo("playlistItems")}, videos.list {fake.CallsTo("videos")}, search.list {fake.CallsTo("search")}); goal ≤ 4,000 of 10,000: {(fake.Calls <= 4000 ? "met" : "NOT met")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"App ledger: {ledger.Quota.Used} units on the current Pacific day (the simulated day spans a Pacific midnight when it does)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Polls: {polls.Count}; calls per poll min {calls.FirstOrDefault()}, median {(calls.Count == 0 ? 0 : calls[calls.Count / 2])}, max {calls.LastOrDefault()}; first poll {polls.FirstOrDefault()?.Calls} (uploads of every channel on the first sweep)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Platform answer → TRND tick (trends:creators:youtube:24h): {latencies.Count} polls, p50 {P(latencies, 0.5):0.0} ms, p99 {P(latencies, 0.99):0.0} ms, max {(latencies.Count == 0 ? double.NaN : latencies[^1]):0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wall time {wall.Elapsed.TotalSeconds:0.0} s; largest id list in one call: {fake.MaxIds} (≤ 50)"));
        await app.DisposeAsync();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }

        return 0;
    }
}

/// <summary>YouTube Data API v3 for the bench: channels.list, playlistItems.list, videos.list in Google's JSON.
/// Each channel has <c>videosPerChannel</c> videos from the last six days and uploads one more every 50 hours
/// (10 of 500 channels an hour); views grow with the simulated time.</summary>
internal sealed class FakeYouTube(int channels, int videosPerChannel, DateTime start)
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private long _lastAnswer;
    private int _maxIds;

    /// <summary>The simulated instant the fake answers at (set by the bench before each poll).</summary>
    public DateTime Now { get; set; }

    public int Calls => _calls.Values.Sum();

    public int CallsTo(string resource) => _calls.GetValueOrDefault(resource);

    public long LastAnswerTimestamp => Interlocked.Read(ref _lastAnswer);

    public int MaxIds => _maxIds;

    public int VideoCount => Enumerable.Range(0, channels).Sum(VideosOf);

    public int Uploaded => VideoCount - (channels * videosPerChannel);

    public static string ChannelId(int i) => $"UCbench{i:D17}";

    public static string Uploads(int i) => "UU" + ChannelId(i)[2..];

    private int VideosOf(int channel) => videosPerChannel + (int)Math.Floor(Math.Max(0, (Now - start).TotalHours + (channel % 50)) / 50);

    private static string VideoId(int channel, int n) => $"v{channel:D5}x{n:D4}";

    private DateTime PublishedAt(int channel, int n) =>
        n < videosPerChannel ? start.AddHours(-6 * 24 + (n * 17) + (channel % 13)) : start.AddHours(((n - videosPerChannel) * 50) + 50 - (channel % 50));

    public WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/youtube/v3/channels", (HttpContext c) => Answer(c, "channels", Channels(c.Request.Query)));
        app.MapGet("/youtube/v3/playlistItems", (HttpContext c) => Answer(c, "playlistItems", Playlist(c.Request.Query["playlistId"].ToString())));
        app.MapGet("/youtube/v3/videos", (HttpContext c) => Answer(c, "videos", Videos(c.Request.Query["id"].ToString())));
        app.MapGet("/youtube/v3/search", (HttpContext c) => Answer(c, "search", new { items = Array.Empty<object>() }));
        return app;
    }

    private async Task Answer(HttpContext context, string resource, object body)
    {
        _calls.AddOrUpdate(resource, 1, (_, n) => n + 1);
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
        await context.Response.CompleteAsync();
        Interlocked.Exchange(ref _lastAnswer, Stopwatch.GetTimestamp());
    }

    private static string S(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private object Channels(IQueryCollection query)
    {
        if (query["part"] == "id")
        {
            return new { kind = "youtube#channelListResponse", items = new[] { new { kind = "youtube#channel", id = query["id"].ToString() } } };
        }

        var ids = query["id"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        InterlockedMax(ids.Length);
        var hours = (Now - start).TotalHours;
        return new
        {
            kind = "youtube#channelListResponse",
            etag = "e" + Now.Ticks,
            items = ids.Select(id => int.Parse(id[7..], CultureInfo.InvariantCulture)).Select(i => new
            {
                kind = "youtube#channel",
                id = ChannelId(i),
                snippet = new { title = $"Bench {i}", customUrl = $"@bench{i:D4}" },
                contentDetails = new { relatedPlaylists = new { uploads = Uploads(i) } },
                statistics = new { viewCount = S(1_000_000L * (i + 1) + (long)(hours * 1000 * (1 + (i % 7)))), subscriberCount = S(10_000L * (i + 1) + (long)(hours * 10)), hiddenSubscriberCount = false, videoCount = S(VideosOf(i)) },
            }).ToArray(),
        };
    }

    private object Playlist(string playlistId)
    {
        var channel = int.Parse(playlistId[7..], CultureInfo.InvariantCulture);
        var count = VideosOf(channel);
        return new
        {
            kind = "youtube#playlistItemListResponse",
            items = Enumerable.Range(0, count).Reverse().Take(50)
                .Select(n => new { kind = "youtube#playlistItem", contentDetails = new { videoId = VideoId(channel, n), videoPublishedAt = Iso(PublishedAt(channel, n)) } }).ToArray(),
        };
    }

    private object Videos(string idList)
    {
        var ids = idList.Split(',', StringSplitOptions.RemoveEmptyEntries);
        InterlockedMax(ids.Length);
        return new
        {
            kind = "youtube#videoListResponse",
            items = ids.Select(id =>
            {
                var channel = int.Parse(id[1..6], CultureInfo.InvariantCulture);
                var n = int.Parse(id[7..], CultureInfo.InvariantCulture);
                var published = PublishedAt(channel, n);
                var views = (long)Math.Max(0, (Now - published).TotalHours * (50 + (channel % 11) * 20));
                return new
                {
                    kind = "youtube#video",
                    id,
                    snippet = new { publishedAt = Iso(published), channelId = ChannelId(channel), title = $"Video {n} of bench{channel:D4}", description = "", liveBroadcastContent = "none", thumbnails = new { high = new { url = $"https://i.ytimg.com/vi/{id}/hqdefault.jpg" } } },
                    contentDetails = new { duration = "PT8M3S" },
                    statistics = new { viewCount = S(views), likeCount = S(views / 20), commentCount = S(views / 200) },
                };
            }).ToArray(),
        };
    }

    private void InterlockedMax(int n)
    {
        int seen;
        while (n > (seen = Volatile.Read(ref _maxIds)) && Interlocked.CompareExchange(ref _maxIds, n, seen) != seen)
        {
        }
    }
}

/// <summary>The real app in-process with its own data directory, the demo off, YouTube pointed at the fake.</summary>
internal sealed class BenchApp(string dataDir, string youTubeBase) : WebApplicationFactory<Program>
{
    public Uri StartRealServer()
    {
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        var settings = new Dictionary<string, string>
        {
            ["Terminal:DataDirectory"] = dataDir,
            ["Terminal:DemoFeed:Enabled"] = "false",
            ["Terminal:Platforms:YouTube:ApiBaseUrl"] = youTubeBase,
            ["Terminal:Market:YouTube:ApiKey"] = "AIzaSyBenchKey0123456789abcdefgh",
            ["Terminal:Market:YouTube:StatsIntervalSeconds"] = "3600",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
