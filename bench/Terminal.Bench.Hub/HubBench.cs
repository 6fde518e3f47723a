using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MessagePack;
using MessagePack.Resolvers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Web.Features.Market;

namespace Terminal.Bench.Hub;

/// <summary>
/// SPEC §7 live fan-out bar: N hub clients subscribed to one trends topic while synthetic snapshots are
/// published into <see cref="IMarketFeed"/> at a target rate; measures ingest-to-client latency.
/// <para>
/// The real app (Program) runs in-process on a loopback Kestrel port with its own temp data directory
/// and the demo feed off. Clients are real SignalR clients over WebSockets with a bearer token from
/// <c>/api/auth</c>. Latency of a batch at a client = receipt time of the first <c>TrendTick</c> whose
/// <c>at</c> (the instant the ranking was computed, engine clock = system clock) is at or after the
/// moment <c>Publish</c> of that batch returned, minus the moment <c>Publish</c> was called: the engine
/// ingests on the publisher's thread and a ranking computed later includes the batch.
/// </para>
/// </summary>
internal static class HubBench
{
    public static async Task<int> Main(string[] args)
    {
        var o = Options.Parse(args);
        var load0 = LoadAverage();
        Console.WriteLine($"Clip Terminal live fan-out benchmark — {o.Clients:N0} clients on {o.Topic}, {o.Rate:N0} snapshots/s in batches of {o.Batch:N0} over {o.Entities:N0} clips, {o.Seconds} s measured after {o.Warmup} s warm-up; {(o.MessagePack ? "MessagePack" : "JSON")} hub protocol; {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}; load average at start {load0}");

        var dataDir = Path.Combine(Path.GetTempPath(), "clip-terminal-bench-hub-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        try
        {
            await using var app = new BenchApp(dataDir);
            var baseUri = app.StartRealServer();
            Console.WriteLine($"App on {baseUri}, data in {dataDir}");

            var token = await LoginAsync(baseUri);
            var feed = app.Services.GetRequiredService<IMarketFeed>();
            var now = DateTime.UtcNow;
            var entities = Enumerable.Range(1, o.Entities)
                .Select(i => new EntityInfo(EntityKind.Clip, 900_000 + i, $"bench clip {i}", Platforms.All[i % 3], 1 + (i % 12), null, 1 + (i % 500), now.AddMinutes(-30 - (i % 600))))
                .ToList();
            var views = new long[o.Entities];
            var rng = new Random(7);
            for (var i = 0; i < views.Length; i++)
            {
                views[i] = rng.Next(1_000, 100_000);
            }

            // Register the clips and give each a first reading before any client subscribes.
            feed.Publish(new MarketUpdate(now, Snapshots(Enumerable.Range(0, o.Entities), views, now, rng, entities)) { Entities = entities });

            // ---- clients -------------------------------------------------------------------------
            var received = new ConcurrentQueue<Receipt>[o.Clients];
            var connections = new HubConnection[o.Clients];
            var connectWatch = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(16))
            {
                await Task.WhenAll(Enumerable.Range(0, o.Clients).Select(async c =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        var queue = received[c] = new ConcurrentQueue<Receipt>();
                        var builder = new HubConnectionBuilder()
                            .WithUrl(new Uri(baseUri, MarketHub.Path), h =>
                            {
                                h.Transports = HttpTransportType.WebSockets;
                                h.SkipNegotiation = true;
                                h.AccessTokenProvider = () => Task.FromResult<string?>(token);
                            });
                        if (o.MessagePack)
                        {
                            builder.AddMessagePackProtocol();
                        }

                        var connection = builder.Build();
                        connection.On<TickHead>(MarketHub.TrendTickMethod, tick => queue.Enqueue(new Receipt(tick.At, DateTime.UtcNow)));
                        await connection.StartAsync();
                        await connection.InvokeAsync("Subscribe", o.Topic);
                        connections[c] = connection;
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            Console.WriteLine($"{o.Clients:N0} clients connected and subscribed in {connectWatch.Elapsed.TotalSeconds:F1} s");

            // ---- publisher -----------------------------------------------------------------------
            var batchesPerSecond = (double)o.Rate / o.Batch;
            var interval = TimeSpan.FromSeconds(1 / batchesPerSecond);
            var total = (int)Math.Round((o.Warmup + o.Seconds) * batchesPerSecond);
            var warmupBatches = (int)Math.Round(o.Warmup * batchesPerSecond);
            var publishes = new Published[total];
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var gc0 = GC.CollectionCount(2);
            var publisher = new Thread(() =>
            {
                var clock = Stopwatch.StartNew();
                var ids = new int[o.Batch];
                for (var b = 0; b < total; b++)
                {
                    var due = interval * b;
                    while (clock.Elapsed < due)
                    {
                        var wait = due - clock.Elapsed;
                        if (wait > TimeSpan.FromMilliseconds(2))
                        {
                            Thread.Sleep(wait - TimeSpan.FromMilliseconds(1));
                        }
                        else
                        {
                            Thread.SpinWait(50);
                        }
                    }

                    for (var k = 0; k < ids.Length; k++)
                    {
                        ids[k] = rng.Next(o.Entities);
                    }

                    var start = DateTime.UtcNow;
                    var update = new MarketUpdate(start, Snapshots(ids, views, start, rng, entities));
                    feed.Publish(update);
                    publishes[b] = new Published(start, DateTime.UtcNow, clock.Elapsed);
                }
            })
            { IsBackground = true, Name = "bench publisher", Priority = ThreadPriority.AboveNormal };
            var runWatch = Stopwatch.StartNew();
            publisher.Start();
            publisher.Join();
            var publishElapsed = runWatch.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;

            // The last batches' ticks: wait until every client saw a tick computed after the last publish.
            var last = publishes[^1].End;
            var drain = Stopwatch.StartNew();
            while (drain.Elapsed < TimeSpan.FromSeconds(10) && received.Any(q => !q.Any(r => r.At >= last)))
            {
                await Task.Delay(50);
            }

            var load1 = LoadAverage();
            var gcs = GC.CollectionCount(2) - gc0;
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            // ---- analysis ------------------------------------------------------------------------
            var measured = publishes[warmupBatches..];
            var measuredSpan = measured[^1].Offset - publishes[warmupBatches].Offset + interval;
            var achievedRate = measured.Length * o.Batch / measuredSpan.TotalSeconds;
            var latencies = new List<double>(measured.Length * o.Clients);
            var fanOut = new List<double>();
            var missed = 0L;
            var ticks = 0L;
            var firstMeasured = measured[0].Start;
            foreach (var queue in received)
            {
                var list = queue.OrderBy(r => r.ReceivedAt).ToArray();
                // Distinct ticks (by computation instant) computed while the measured batches were published.
                ticks += list.Where(r => r.At >= firstMeasured && r.At <= measured[^1].End).Select(r => r.At).Distinct().Count();
                foreach (var r in list.Where(r => r.ReceivedAt >= firstMeasured))
                {
                    fanOut.Add((r.ReceivedAt - r.At).TotalMilliseconds);
                }

                var t = 0;
                foreach (var p in measured)
                {
                    while (t < list.Length && list[t].At < p.End)
                    {
                        t++;
                    }

                    if (t == list.Length)
                    {
                        missed++;
                        continue;
                    }

                    latencies.Add((list[t].ReceivedAt - p.Start).TotalMilliseconds);
                }
            }

            // Publish → the ranking that includes it is computed (the ticker's ≤ 4/s coalescing wait plus
            // the ranking), from the ticks every client got (the same for all: the first client's list).
            var waits = new List<double>(measured.Length);
            var first = received[0].OrderBy(r => r.ReceivedAt).Select(r => r.At).Distinct().ToArray();
            foreach (var p in measured)
            {
                var at = first.FirstOrDefault(a => a >= p.End);
                if (at != default)
                {
                    waits.Add((at - p.Start).TotalMilliseconds);
                }
            }

            waits.Sort();
            latencies.Sort();
            fanOut.Sort();
            var publishMs = measured.Select(p => (p.End - p.Start).TotalMilliseconds).Order().ToList();
            var p99 = Percentile(latencies, 0.99);

            Console.WriteLine();
            Console.WriteLine($"Load average: {load0} at start, {load1} at the end, on {Environment.ProcessorCount} cores (other processes share them). Process CPU during publishing: {cpu.TotalSeconds:F1} s over {publishElapsed.TotalSeconds:F1} s wall ({cpu.TotalSeconds / publishElapsed.TotalSeconds * 100:F0} % of one core); gen-2 GCs: {gcs}.");
            var sample = app.Services.GetRequiredService<ITrendTicker>();
            var payload = await PayloadBytesAsync(sample, o.Topic, app.Services.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions);
            var packed = MessagePackSerializer.Serialize(await TickAsync(sample, o.Topic), ContractlessStandardResolver.Options).Length;
            Console.WriteLine($"MessagePack (contractless, as the hub protocol writes it): {packed:N0} bytes per tick.");
            Console.WriteLine($"One TrendTick of {o.Topic} is {payload:N0} bytes of JSON: the server writes about {payload * 4.0 * o.Clients / 1e6:F1} MB/s at 4 ticks/s to {o.Clients:N0} clients (and the in-process clients parse as much).");
            Console.WriteLine();
            Console.WriteLine("| measure | p50 | p95 | p99 | max |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            Console.WriteLine($"| ingest-to-client latency ({latencies.Count:N0} batch×client samples) | {Percentile(latencies, 0.5):F0} ms | {Percentile(latencies, 0.95):F0} ms | {p99:F0} ms | {Max(latencies):F0} ms |");
            Console.WriteLine($"| publish → ranking computed (ticker coalescing wait, {waits.Count:N0} batches) | {Percentile(waits, 0.5):F0} ms | {Percentile(waits, 0.95):F0} ms | {Percentile(waits, 0.99):F0} ms | {Max(waits):F0} ms |");
            Console.WriteLine($"| tick computed → client received ({fanOut.Count:N0} tick×client samples) | {Percentile(fanOut, 0.5):F0} ms | {Percentile(fanOut, 0.95):F0} ms | {Percentile(fanOut, 0.99):F0} ms | {Max(fanOut):F0} ms |");
            Console.WriteLine($"| Publish call (engine ingest of one batch) | {Percentile(publishMs, 0.5):F2} ms | {Percentile(publishMs, 0.95):F2} ms | {Percentile(publishMs, 0.99):F2} ms | {Max(publishMs):F2} ms |");
            Console.WriteLine();
            Console.WriteLine("| measure | result | goal | met |");
            Console.WriteLine("| --- | ---: | ---: | :---: |");
            Console.WriteLine($"| achieved ingest rate (measured part) | {achievedRate:N0} snapshots/s | {o.Rate:N0} /s | {Mark(achievedRate >= o.Rate * 0.98)} |");
            var tickSpan = (measured[^1].End - firstMeasured).TotalSeconds;
            var tickRate = ticks / (double)o.Clients / tickSpan;
            Console.WriteLine($"| ticks per client per second (computed during the measured publishing) | {tickRate:F2} | ≤ 4 | {Mark(ticks / (double)o.Clients <= (4 * tickSpan) + 1)} |");
            Console.WriteLine($"| batch×client pairs never delivered | {missed:N0} | 0 | {Mark(missed == 0)} |");
            Console.WriteLine($"| p99 ingest-to-client latency, {o.Clients:N0} clients | {p99:F0} ms | ≤ 250 ms | {Mark(p99 <= 250)} |");
            return p99 <= 250 && missed == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Size of one tick as the hub sends it (the hub's JSON protocol options).</summary>
    private static async Task<int> PayloadBytesAsync(ITrendTicker ticker, string topic, JsonSerializerOptions json) =>
        JsonSerializer.SerializeToUtf8Bytes(await TickAsync(ticker, topic), json).Length;

    private static async Task<TrendTick> TickAsync(ITrendTicker ticker, string topic)
    {
        var tcs = new TaskCompletionSource<TrendTick>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (ticker.Subscribe(topic, t => tcs.TrySetResult(t)))
        {
            return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static MetricSnapshot[] Snapshots(IEnumerable<int> indexes, long[] views, DateTime at, Random rng, List<EntityInfo> entities) =>
        indexes.Select(i =>
        {
            views[i] += rng.Next(0, 500);
            return new MetricSnapshot { Kind = EntityKind.Clip, EntityId = entities[i].Id, At = at, Views = views[i], Likes = views[i] / 12 };
        }).ToArray();

    private static async Task<string> LoginAsync(Uri baseUri)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        var email = $"bench-{Guid.NewGuid():N}@bench.local";
        const string Password = "Passw0rd!bench";
        (await http.PostAsJsonAsync("/api/auth/register", new { email, password = Password })).EnsureSuccessStatusCode();
        var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        login.EnsureSuccessStatusCode();
        var body = await login.Content.ReadFromJsonAsync<TokenBody>();
        return body!.AccessToken;
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static double Max(List<double> sorted) => sorted.Count == 0 ? double.NaN : sorted[^1];

    private static string Mark(bool ok) => ok ? "✅" : "❌";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";

    private sealed record TokenBody(string AccessToken);


    private readonly record struct Receipt(DateTime At, DateTime ReceivedAt);

    private readonly record struct Published(DateTime Start, DateTime End, TimeSpan Offset);

    private sealed record Options(int Clients, int Rate, int Batch, int Seconds, int Warmup, int Entities, string Topic, bool MessagePack)
    {
        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'. Names: --clients --rate --batch --seconds --warmup --entities --topic --protocol json|messagepack");
                }

                values[args[i][2..]] = args[i + 1];
            }

            int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return new Options(
                Int("clients", 1_000),
                Int("rate", 10_000),
                Int("batch", 500),
                Int("seconds", 30),
                Int("warmup", 5),
                Int("entities", 10_000),
                values.GetValueOrDefault("topic", "trends:clips:all:1h"),
                values.GetValueOrDefault("protocol", "json").Equals("messagepack", StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>The real app on a loopback port with its own data directory and the demo feed off.</summary>
    private sealed class BenchApp(string dataDir) : WebApplicationFactory<Program>
    {
        public Uri StartRealServer()
        {
            UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            var settings = new Dictionary<string, string>
            {
                ["Terminal:DataDirectory"] = dataDir,
                ["Terminal:DemoFeed:Enabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            };
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

/// <summary>Only what the latency needs from a <c>TrendTick</c> (items are skipped, not materialised).
/// Public: MessagePack's contractless resolver builds formatters for public types only.</summary>
public sealed record TickHead(string Topic, DateTime At);
