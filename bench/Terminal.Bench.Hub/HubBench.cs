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
        Console.WriteLine($"Clip Terminal live fan-out benchmark — {o.Clients:N0} clients on {o.Topic}, {o.Rate:N0} snapshots/s in batches of {o.Batch:N0} over {o.Entities:N0} clips, {o.Seconds} s measured after {o.Warmup} s warm-up per mode; modes {string.Join(", ", o.Modes)}; {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}; load average at start {load0}");

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

            var summary = new List<string>();
            var ok = true;
            foreach (var mode in o.Modes)
            {
                var (row, met) = await RunModeAsync(app, o, mode, baseUri, token, feed, entities, views, rng);
                summary.Add(row);
                ok &= met;
            }

            Console.WriteLine();
            Console.WriteLine($"Side by side (one process, one run; load average {load0} at start, {LoadAverage()} at the end):");
            Console.WriteLine();
            Console.WriteLine("| mode | tick→client p50 / p99 | ingest→client p50 / p99 | bytes per tick per client | process CPU | lost | goals (≤ 100 / ≤ 350 ms) |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | :---: |");
            foreach (var row in summary)
            {
                Console.WriteLine(row);
            }

            return ok ? 0 : 1;
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

    private static async Task<(string Row, bool Met)> RunModeAsync(
        BenchApp app, Options o, string mode, Uri baseUri, string token, IMarketFeed feed, List<EntityInfo> entities, long[] views, Random rng)
    {
        var messagePack = mode.EndsWith("messagepack", StringComparison.OrdinalIgnoreCase);
        var deltas = mode.StartsWith("delta", StringComparison.OrdinalIgnoreCase);
        var load0 = LoadAverage();
        Console.WriteLine();
        Console.WriteLine($"## {mode}: {(deltas ? "SubscribeDeltas (snapshot, then deltas)" : "Subscribe (full ranking every tick)")}, {(messagePack ? "MessagePack" : "JSON")} hub protocol; load average {load0}");
        var jsonOptions = app.Services.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions;
        var bytes = new long[o.Clients];
        var messages = new long[o.Clients];
        var gaps = new long[o.Clients];
        var lastSeq = new long[o.Clients];
        // A few clients keep the whole state (TrendReplica) to check at the end that nothing was lost; the rest only read heads.
        var replicas = Enumerable.Range(0, Math.Min(o.Replicas, o.Clients)).Select(_ => new ReplicaCheck()).ToArray();
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
                        if (messagePack)
                        {
                            builder.AddMessagePackProtocol();
                        }

                        var connection = builder.Build();
                        var client = c;
                        if (client < replicas.Length)
                        {
                            var replica = replicas[client];
                            connection.On<TrendTick>(MarketHub.TrendTickMethod, tick =>
                            {
                                queue.Enqueue(new Receipt(tick.At, DateTime.UtcNow));
                                bytes[client] += Size(tick, messagePack, jsonOptions);
                                messages[client]++;
                                replica.Snapshot(tick);
                            });
                            connection.On<TrendDelta>(MarketHub.TrendDeltaMethod, delta =>
                            {
                                queue.Enqueue(new Receipt(delta.At, DateTime.UtcNow));
                                bytes[client] += Size(delta, messagePack, jsonOptions);
                                messages[client]++;
                                if (!replica.Delta(delta))
                                {
                                    gaps[client]++;
                                    _ = connection.InvokeAsync("Resync", o.Topic);
                                }
                            });
                        }
                        else
                        {
                            connection.On<TickHead>(MarketHub.TrendTickMethod, tick =>
                            {
                                queue.Enqueue(new Receipt(tick.At, DateTime.UtcNow));
                                lastSeq[client] = Math.Max(lastSeq[client], tick.Seq);
                            });
                            connection.On<TickHead>(MarketHub.TrendDeltaMethod, delta =>
                            {
                                queue.Enqueue(new Receipt(delta.At, DateTime.UtcNow));
                                if (lastSeq[client] > 0 && delta.Seq > lastSeq[client] + 1)
                                {
                                    gaps[client]++;
                                }

                                lastSeq[client] = Math.Max(lastSeq[client], delta.Seq);
                            });
                        }

                        await connection.StartAsync();
                        await connection.InvokeAsync(deltas ? "SubscribeDeltas" : "Subscribe", o.Topic);
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

            // Nothing lost: each checking client asks for a snapshot and compares it with the state it built
            // for the same sequence number (a delta subscriber) or simply holds it (a full subscriber).
            if (deltas)
            {
                foreach (var (replica, c) in replicas.Select((r, c) => (r, c)))
                {
                    var compared = replica.Compared;
                    if (connections[c].State != HubConnectionState.Connected)
                    {
                        continue; // dropped by the server under load: counted as an unchecked (lost) client below
                    }

                    try
                    {
                        await connections[c].InvokeAsync("Resync", o.Topic);
                    }
                    catch (Exception e) when (e is InvalidOperationException or HubException)
                    {
                        continue; // closed by the server while asking (an overloaded machine): unchecked, as above
                    }

                    var start = DateTime.UtcNow;
                    feed.Publish(new MarketUpdate(start, Snapshots([0], views, start, rng, entities)));
                    var wait = Stopwatch.StartNew();
                    while (replica.Compared == compared && wait.Elapsed < TimeSpan.FromSeconds(10))
                    {
                        await Task.Delay(20);
                    }
                }
            }

            var closed = connections.Count(c => c.State != HubConnectionState.Connected);
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
            var slowest = new Dictionary<DateTime, double>(); // per tick (by its computation instant): the latest client's latency
            var missed = 0L;
            var ticks = 0L;
            var firstMeasured = measured[0].Start;
            foreach (var queue in received)
            {
                var list = queue.OrderBy(r => r.ReceivedAt).ToArray();
                // Distinct ticks (by computation instant) computed while the measured batches were published.
                ticks += list.Where(r => r.At >= firstMeasured && r.At <= measured[^1].End).Select(r => r.At).Distinct().Count();
                // Ticks computed while the measured batches were published (not warm-up ticks still arriving, nor the
                // final check's ticks, which run after the load).
                foreach (var r in list.Where(r => r.At >= firstMeasured && r.At <= measured[^1].End))
                {
                    var ms = (r.ReceivedAt - r.At).TotalMilliseconds;
                    fanOut.Add(ms);
                    slowest[r.At] = Math.Max(slowest.GetValueOrDefault(r.At), ms);
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

            var fanP99 = Percentile(fanOut, 0.99);
            var checkedReplicas = replicas.Count(r => r.Compared > 0);
            var mismatches = replicas.Sum(r => r.Mismatches);
            var lost = missed + gaps.Sum() + mismatches + (deltas ? replicas.Length - checkedReplicas : 0);
            var perTick = messages.Take(replicas.Length).Sum() == 0 ? 0 : bytes.Take(replicas.Length).Sum() / (double)messages.Take(replicas.Length).Sum();
            var cpuShare = cpu.TotalSeconds / publishElapsed.TotalSeconds * 100;
            Console.WriteLine($"Load average {load0} → {load1} on {Environment.ProcessorCount} cores (shared). Process CPU (server and its clients, same process) {cpu.TotalSeconds:F1} s over {publishElapsed.TotalSeconds:F1} s ({cpuShare:F0} % of one core); gen-2 GCs {gcs}.");
            Console.WriteLine($"Messages of {o.Topic} as received by {replicas.Length} checking clients: {perTick:N0} bytes per message on average ({(messagePack ? "MessagePack" : "JSON")}, payload as the protocol writes it).");
            Console.WriteLine($"Nothing lost: {missed:N0} batch×client pairs never delivered, {gaps.Sum():N0} sequence gaps, {checkedReplicas}/{replicas.Length} checking clients compared their state with a fresh snapshot, {mismatches} mismatches; {closed} connections closed by the end.");
            Console.WriteLine();
            Console.WriteLine("| measure | p50 | p95 | p99 | max |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            Console.WriteLine($"| ingest-to-client latency ({latencies.Count:N0} batch×client samples) | {Percentile(latencies, 0.5):F0} ms | {Percentile(latencies, 0.95):F0} ms | {p99:F0} ms | {Max(latencies):F0} ms |");
            Console.WriteLine($"| publish → ranking computed (ticker coalescing wait, {waits.Count:N0} batches) | {Percentile(waits, 0.5):F0} ms | {Percentile(waits, 0.95):F0} ms | {Percentile(waits, 0.99):F0} ms | {Max(waits):F0} ms |");
            Console.WriteLine($"| tick-to-client: tick computed → client received ({fanOut.Count:N0} tick×client samples) | {Percentile(fanOut, 0.5):F0} ms | {Percentile(fanOut, 0.95):F0} ms | {fanP99:F0} ms | {Max(fanOut):F0} ms |");
            Console.WriteLine("Slowest ticks (computed at, s after the measured publishing began; its last client's latency): " + string.Join(", ",
                slowest.OrderByDescending(t => t.Value).Take(3).Select(t => $"{(t.Key - firstMeasured).TotalSeconds:F2} s: {t.Value:F0} ms")) +
                $" (publishing ended at {(measured[^1].End - firstMeasured).TotalSeconds:F2} s).");
            Console.WriteLine($"| Publish call (engine ingest of one batch) | {Percentile(publishMs, 0.5):F2} ms | {Percentile(publishMs, 0.95):F2} ms | {Percentile(publishMs, 0.99):F2} ms | {Max(publishMs):F2} ms |");
            var tickSpan = (measured[^1].End - firstMeasured).TotalSeconds;
            var tickRate = ticks / (double)o.Clients / tickSpan;
            Console.WriteLine($"Achieved ingest {achievedRate:N0} snapshots/s (goal {o.Rate:N0}); {tickRate:F2} ticks per client per second (≤ 4).");
            var met = fanP99 <= 100 && p99 <= 350 && lost == 0;
            var row = $"| {mode} | {Percentile(fanOut, 0.5):F0} / {fanP99:F0} ms | {Percentile(latencies, 0.5):F0} / {p99:F0} ms | {perTick:N0} B | {cpuShare:F0} % of a core | {lost:N0} | {Mark(fanP99 <= 100)} {Mark(p99 <= 350)} |";
            return (row, met);
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

    private sealed record Options(int Clients, int Rate, int Batch, int Seconds, int Warmup, int Entities, string Topic, string[] Modes, int Replicas)
    {
        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'. Names: --clients --rate --batch --seconds --warmup --entities --topic --modes full-json,full-messagepack,delta-json,delta-messagepack --replicas");
                }

                values[args[i][2..]] = args[i + 1];
            }

            int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            var modes = values.GetValueOrDefault("modes", "full-json,full-messagepack,delta-json,delta-messagepack")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new Options(
                Int("clients", 1_000),
                Int("rate", 10_000),
                Int("batch", 500),
                Int("seconds", 30),
                Int("warmup", 5),
                Int("entities", 10_000),
                values.GetValueOrDefault("topic", "trends:clips:all:1h"),
                modes,
                Int("replicas", 5));
        }
    }

    /// <summary>A checking client's copy of the topic: snapshots compared with the state it built for the same number.</summary>
    private sealed class ReplicaCheck
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<long, IReadOnlyList<TrendItem>> _history = [];
        private readonly TrendReplica _replica = new();

        public int Compared { get; private set; }

        public int Mismatches { get; private set; }

        public void Snapshot(TrendTick tick)
        {
            lock (_gate)
            {
                if (tick.Seq == 0)
                {
                    Compared++; // a full subscriber: every tick is the whole state
                    return;
                }

                if (_history.TryGetValue(tick.Seq, out var mine))
                {
                    Compared++;
                    if (mine.Count != tick.Items.Count || !mine.Zip(tick.Items).All(p => TrendDeltas.Same(p.First, p.Second)))
                    {
                        Mismatches++;
                    }
                }

                _replica.Apply(tick);
                _history[_replica.Seq] = _replica.Items;
            }
        }

        /// <summary>False on a gap (the caller asks for a snapshot).</summary>
        public bool Delta(TrendDelta delta)
        {
            lock (_gate)
            {
                if (_replica.Apply(delta))
                {
                    _history[_replica.Seq] = _replica.Items;
                    return true;
                }

                return !_replica.HasSnapshot; // before the first snapshot, deltas are expected and ignored
            }
        }
    }

    private static int Size<T>(T message, bool messagePack, JsonSerializerOptions json) =>
        messagePack ? MessagePackSerializer.Serialize(message, ContractlessStandardResolver.Options).Length : JsonSerializer.SerializeToUtf8Bytes(message, json).Length;

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

/// <summary>Only what the latency and gap check need from a <c>TrendTick</c> or <c>TrendDelta</c> (items are skipped, not materialised).
/// Public: MessagePack's contractless resolver builds formatters for public types only.</summary>
public sealed record TickHead(string Topic, DateTime At, long Seq);
