using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Cluster;

namespace Terminal.Tests.Web.Features.Cluster;

/// <summary>
/// Two nodes (two in-process apps) on one database and one Redis, with the DEMO market on both: node A
/// starts first and is elected producer; node B only ingests what A publishes on the Redis stream. Each
/// node ticks for its own hub connections, so a client on either node gets one numbered stream of ticks.
/// </summary>
public sealed class MarketFeedAcrossNodesTests : IClassFixture<RedisServer>, IAsyncLifetime
{
    // Creators: their rows change only when their readings do, so deltas come with the market's movement.
    private const string Topic = "trends:creators:all:24h";

    private readonly TerminalWebFactory _nodeA = new();
    private readonly TerminalWebFactory _nodeB = new();
    private bool _nodeADisposed;

    public MarketFeedAcrossNodesTests(RedisServer redis)
    {
        foreach (var node in new[] { _nodeA, _nodeB })
        {
            node.Settings["Terminal:Redis"] = redis.Configuration;
            node.Settings["Terminal:Cluster:ProducerLeaseSeconds"] = "3";
            node.Settings["Terminal:DemoFeed:Enabled"] = "true";
            node.Settings["Terminal:DemoFeed:Creators"] = "40";
            node.Settings["Terminal:DemoFeed:Clippers"] = "20";
            node.Settings["Terminal:DemoFeed:ClipsPerCreator"] = "3";
            node.Settings["Terminal:DemoFeed:VodsPerCreator"] = "0";
            node.Settings["Terminal:DemoFeed:HistoryDays"] = "2";
            node.Settings["Terminal:DemoFeed:FutureDays"] = "1";
            node.Settings["Terminal:DemoFeed:TickIntervalMilliseconds"] = "300";
        }

        _nodeB.Settings["Terminal:DataDirectory"] = _nodeA.DataDirectory;
    }

    [Fact]
    public async Task HubClientsOnBothNodes_GetTheTicksProducedOnA_EachOnce_WithoutAGapInSeq()
    {
        var onA = await SequenceClient.StartAsync(_nodeA, (await _nodeA.CreateUserClientAsync()).AccessToken);
        var onB = await SequenceClient.StartAsync(_nodeB, (await _nodeB.CreateUserClientAsync()).AccessToken);
        await using (onA)
        await using (onB)
        {
            await Wait.UntilAsync(() => onB.Deltas >= 6 && onA.Deltas >= 6, TimeSpan.FromSeconds(30), "deltas reach the clients of both nodes");

            Producer(_nodeB).IsProducer.Should().BeFalse("node A holds the producer lease");
            _nodeB.Services.GetRequiredService<ClusterMarketFeed>().Received.Should().BePositive("node B's market moves with A's batches");
            onB.Breaks.Should().BeEmpty("a client on B gets one numbered stream (no ticks of A's broadcaster through the backplane)");
            onA.Breaks.Should().BeEmpty("a client on A gets one numbered stream (no ticks of B's broadcaster through the backplane)");
        }
    }

    [Fact]
    public async Task BothEngines_HoldTheSameRanking()
    {
        var query = new TrendQuery(EntityKind.Creator, null, Period.Day);
        string Ranking(TerminalWebFactory node) => string.Join(';',
            node.Services.GetRequiredService<TrendEngine>().Query(query).Data.Select(i => $"{i.Id}:{i.Velocity:R}"));

        // Wait for a moment between two batches, when both engines have applied the same ones.
        await Wait.UntilAsync(
            () => Ranking(_nodeA) == Ranking(_nodeB) && _nodeB.Services.GetRequiredService<ClusterMarketFeed>().Received > 3,
            TimeSpan.FromSeconds(20),
            "node B's engine ranks the creators exactly as node A's after A's batches arrived");
        Ranking(_nodeB).Should().NotBeEmpty();
    }

    [Fact]
    public async Task FollowerNode_ReportsTheFeedLive_WithTheProducersLastTick()
    {
        var status = _nodeB.Services.GetRequiredService<MarketStatus>();
        var before = status.LastTickAt;
        await Wait.UntilAsync(() => status.LastTickAt > before, TimeSpan.FromSeconds(10), "node B's last tick follows A's");

        var health = await HealthAsync(_nodeB);
        health.GetProperty("state").GetString().Should().Be("live");
        health.GetProperty("freshness").GetString().Should().Be("fresh");
        Producer(_nodeB).IsProducer.Should().BeFalse("the tick B reports is A's");
    }

    [Fact]
    public async Task StoppingNodeA_MakesNodeBTheProducer_AndTheMarketMovesOn()
    {
        var token = (await _nodeB.CreateUserClientAsync()).AccessToken;
        await using var onB = await SequenceClient.StartAsync(_nodeB, token);
        await Wait.UntilAsync(() => onB.Deltas >= 2, TimeSpan.FromSeconds(20), "deltas from A's market reach B");

        await _nodeA.DisposeAsync();
        _nodeADisposed = true;

        await Wait.UntilAsync(() => Producer(_nodeB).IsProducer, TimeSpan.FromSeconds(6), "node B takes the producer lease (3 s) over");
        var deltas = onB.Deltas;
        await Wait.UntilAsync(() => onB.Deltas >= deltas + 4, TimeSpan.FromSeconds(20), "node B's own DEMO ticks move the market");
        onB.Breaks.Should().BeEmpty();
        (await HealthAsync(_nodeB)).GetProperty("freshness").GetString().Should().Be("fresh");
    }

    [Fact]
    public async Task AnAlertRuleCreatedOnTheFollower_FiresOnce_EvaluatedByTheProducer()
    {
        var creator = _nodeB.Services.GetRequiredService<TrendEngine>().Query(new TrendQuery(EntityKind.Creator, null, Period.Day)).Data[0].Id;
        var owner = await _nodeB.CreateUserClientAsync();

        // Heat at or above 1 holds for a ranked creator from the first evaluation on: it fires at once and,
        // armed only after the heat falls below the band, never again during the test.
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{creator}", threshold = 1, cooldownMinutes = 0 }))
            .EnsureSuccessStatusCode();

        async Task<int> FiringsAsync() => (await owner.Http.GetFromJsonAsync<JsonElement>("/api/alerts")).GetArrayLength();
        var count = 0;
        await Wait.UntilAsync(async () => (count = await FiringsAsync()) > 0, TimeSpan.FromSeconds(15), "node A, the producer, learns of B's rule over Redis and evaluates it");
        await Task.Delay(TimeSpan.FromSeconds(2)); // several more ticks on both nodes
        (await FiringsAsync()).Should().Be(1, "only the producer evaluates; the follower's engine holds the same market but does not fire it again");
    }

    private static IMarketProducer Producer(TerminalWebFactory node) => node.Services.GetRequiredService<IMarketProducer>();

    private static async Task<JsonElement> HealthAsync(TerminalWebFactory node)
    {
        // The checks' details are for admins.
        using var response = await (await node.AdminClientAsync()).Http.GetAsync("/health");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("checks").GetProperty("market").GetProperty("data").Clone();
    }

    public async Task InitializeAsync()
    {
        // Node A migrates the shared database, backfills the DEMO market and takes the producer lease; then B starts on it.
        await WaitLiveAsync(_nodeA);
        await Wait.UntilAsync(() => Producer(_nodeA).IsProducer, TimeSpan.FromSeconds(10), "node A is elected producer");
        await WaitLiveAsync(_nodeB);
    }

    private static Task WaitLiveAsync(TerminalWebFactory node) =>
        Wait.UntilAsync(() => node.Services.GetRequiredService<MarketStatus>().State == FeedState.Live, TimeSpan.FromSeconds(60), "the DEMO market is live");

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        if (!_nodeADisposed)
        {
            await _nodeA.DisposeAsync();
        }
    }

    /// <summary>A delta subscriber that checks every message after its first snapshot carries the next number.</summary>
    private sealed class SequenceClient : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private long _seq = -1;
        private int _deltas;

        private SequenceClient(HubConnection connection)
        {
            Connection = connection;
            connection.On<TrendTick>("TrendTick", t => Next("snapshot", t.Seq));
            connection.On<TrendDelta>("TrendDelta", d => Next("delta", d.Seq));
        }

        public HubConnection Connection { get; }

        public List<string> Breaks { get; } = [];

        public int Deltas => Volatile.Read(ref _deltas);

        public static async Task<SequenceClient> StartAsync(TerminalWebFactory node, string token)
        {
            var client = new SequenceClient(node.MarketHub(token).AddMessagePackProtocol().Build());
            await client.Connection.StartAsync();
            await client.Connection.InvokeAsync("SubscribeDeltas", Topic);
            return client;
        }

        public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

        private void Next(string kind, long seq)
        {
            lock (_gate)
            {
                if (_seq < 0)
                {
                    if (kind == "snapshot")
                    {
                        _seq = seq; // deltas before the first snapshot belong to the state before it
                    }

                    return;
                }

                if (seq != _seq + 1)
                {
                    Breaks.Add($"{kind} {seq} after {_seq}");
                }

                _seq = seq;
                if (kind == "delta")
                {
                    Interlocked.Increment(ref _deltas);
                }
            }
        }
    }
}
