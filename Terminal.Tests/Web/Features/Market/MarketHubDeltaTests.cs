using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Market;

/// <summary>
/// Delta subscriptions over the real hub (MessagePack, as programs use it): a numbered snapshot, then
/// deltas; the client's applied state equals the server's snapshot of the same number; a gap gets a snapshot.
/// </summary>
public sealed class MarketHubDeltaTests(DemoMarketFactory factory) : IClassFixture<DemoMarketFactory>
{
    // Creators: their rows change only when their readings do. (A clip's heat carries a recency factor that
    // drifts every tick, so on clip topics nearly every row is in every delta.)
    private const string Topic = "trends:creators:all:24h";

    [Fact]
    public async Task DeltaSubscriber_AfterManyTicks_HoldsWhatAFreshSnapshotHolds()
    {
        var user = await factory.ReadyUserAsync();
        await using var client = await DeltaClient.StartAsync(factory, user.AccessToken, dropDelta: null);

        await MoveMarketAsync(ticks: 12);
        await Wait.UntilAsync(() => client.Deltas >= 8, TimeSpan.FromSeconds(20), "deltas arrive while the market moves");
        var compared = client.Compared;
        await client.Connection.InvokeAsync("Resync", Topic);
        await MoveMarketAsync(ticks: 2);
        await Wait.UntilAsync(() => client.Compared > compared, TimeSpan.FromSeconds(10), "a snapshot of a number the client already holds arrives");

        client.Mismatches.Should().BeEmpty();
        client.Gaps.Should().Be(0);
        client.SmallestDelta.Should().BeLessThan(client.Replica.Items.Count, "a delta carries the changed rows, not the whole ranking");
    }

    [Fact]
    public async Task DeltaSubscriber_ThatMissesADelta_AsksForASnapshot_AndRecovers()
    {
        var user = await factory.ReadyUserAsync();
        await using var client = await DeltaClient.StartAsync(factory, user.AccessToken, dropDelta: 3);

        // The market moves until the gap is seen: a tick whose rows moved less than the wire's precision sends no delta,
        // and on a loaded machine ticks coalesce, so a fixed number of moves may not get past the dropped delta.
        await Wait.UntilAsync(async () =>
        {
            await MoveMarketAsync(ticks: 2);
            return client.Gaps >= 1 && client.SnapshotsAfterGap >= 1;
        }, TimeSpan.FromSeconds(30), "the gap is seen and a snapshot follows");
        var deltasBefore = client.Applied;
        await MoveMarketAsync(ticks: 4);
        await Wait.UntilAsync(() => client.Applied > deltasBefore, TimeSpan.FromSeconds(10), "deltas apply again after the snapshot");
        var compared = client.Compared;
        await client.Connection.InvokeAsync("Resync", Topic);
        await MoveMarketAsync(ticks: 2);
        await Wait.UntilAsync(() => client.Compared > compared, TimeSpan.FromSeconds(10), "a fresh snapshot to compare with");

        client.Mismatches.Should().BeEmpty();
    }

    [Fact]
    public async Task JsonDelta_HasTheDocumentedShape()
    {
        var user = await factory.ReadyUserAsync();
        await using var connection = factory.ConnectMarketHub(user.AccessToken);
        var ticks = new ConcurrentQueue<JsonElement>();
        var deltas = new ConcurrentQueue<JsonElement>();
        connection.On<JsonElement>("TrendTick", t => ticks.Enqueue(t));
        connection.On<JsonElement>("TrendDelta", d => deltas.Enqueue(d));
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeDeltas", "trends:creators:all:1h");
        await Wait.UntilAsync(() => !ticks.IsEmpty, TimeSpan.FromSeconds(10), "the snapshot arrives");

        await MoveMarketAsync(ticks: 3);
        await Wait.UntilAsync(() => !deltas.IsEmpty, TimeSpan.FromSeconds(10), "a delta arrives");

        ticks.First().GetProperty("seq").GetInt64().Should().BePositive();
        var delta = deltas.First();
        delta.GetProperty("topic").GetString().Should().Be("trends:creators:all:1h");
        delta.GetProperty("seq").GetInt64().Should().BeGreaterThan(ticks.First().GetProperty("seq").GetInt64());
        delta.GetProperty("removed").ValueKind.Should().Be(JsonValueKind.Array);
        delta.GetProperty("items").EnumerateArray().All(i => i.GetProperty("rank").GetInt32() > 0).Should().BeTrue("rows that entered travel whole");
        var patches = delta.GetProperty("patches").EnumerateArray().ToList();
        (patches.Count + delta.GetProperty("items").GetArrayLength()).Should().BePositive("the market moved");
        patches.All(p => p.GetProperty("id").GetInt32() > 0 && p.EnumerateObject().Count() > 1).Should().BeTrue("a patch names its row and what changed");
        patches.SelectMany(p => p.EnumerateObject()).Should().NotContain(f => f.Value.ValueKind == JsonValueKind.Null, "an unchanged field is left out, not sent as null");
    }

    /// <summary>Each step moves a few of the fixture's 20 creators (velocity changes, so ranks move), one step per ticker interval.</summary>
    private async Task MoveMarketAsync(int ticks)
    {
        var feed = factory.Services.GetRequiredService<IMarketFeed>();
        for (var i = 0; i < ticks; i++)
        {
            var now = DateTime.UtcNow;
            var snapshots = Enumerable.Range(0, 3).Select(k => new MetricSnapshot
            {
                Kind = EntityKind.Creator,
                EntityId = 1 + ((i * 7 + k * 13 + Random.Shared.Next(5)) % 20),
                At = now,
                Views = 50_000_000 + (i * 1_000_000) + Random.Shared.Next(1_000_000),
            }).DistinctBy(s => s.EntityId).ToList();
            feed.Publish(new MarketUpdate(now, snapshots));
            await Task.Delay(TrendTicker.MinInterval + TimeSpan.FromMilliseconds(50));
        }
    }

    private sealed class DeltaClient : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<long, IReadOnlyList<TrendItem>> _history = [];
        private int? _dropDelta;
        private int _seenDeltas;

        private DeltaClient(HubConnection connection, int? dropDelta)
        {
            Connection = connection;
            _dropDelta = dropDelta;
            connection.On<TrendTick>("TrendTick", OnSnapshot);
            connection.On<TrendDelta>("TrendDelta", OnDelta);
        }

        public HubConnection Connection { get; }

        public TrendReplica Replica { get; } = new();

        public ConcurrentQueue<string> Mismatches { get; } = new();

        public int Deltas => Volatile.Read(ref _seenDeltas);

        public int Applied { get; private set; }

        public int Gaps { get; private set; }

        public int SnapshotsAfterGap { get; private set; }

        public int Compared { get; private set; }

        public int SmallestDelta { get; private set; } = int.MaxValue;

        public static async Task<DeltaClient> StartAsync(DemoMarketFactory factory, string token, int? dropDelta)
        {
            var connection = factory.MarketHub(token).AddMessagePackProtocol().Build();
            var client = new DeltaClient(connection, dropDelta);
            await connection.StartAsync();
            await connection.InvokeAsync("SubscribeDeltas", Topic);
            await Wait.UntilAsync(() => client.Replica.HasSnapshot, TimeSpan.FromSeconds(10), "the first snapshot arrives");
            return client;
        }

        public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

        private void OnSnapshot(TrendTick tick)
        {
            lock (_gate)
            {
                if (_history.TryGetValue(tick.Seq, out var mine))
                {
                    Compared++;
                    if (mine.Count != tick.Items.Count || !mine.Zip(tick.Items).All(p => TrendDeltas.Same(p.First, p.Second)))
                    {
                        Mismatches.Enqueue($"seq {tick.Seq}: applied state differs from the snapshot");
                    }
                }

                if (Gaps > 0 && tick.Seq > Replica.Seq)
                {
                    SnapshotsAfterGap++;
                }
                else if (Gaps == 0 && _dropDelta is { } drop && _seenDeltas >= drop && tick.Seq > Replica.Seq)
                {
                    // The bucket's periodic snapshot came before the next delta and healed the loss unseen: lose another.
                    _dropDelta = _seenDeltas + 1;
                }

                Replica.Apply(tick);
                _history[Replica.Seq] = Replica.Items;
            }
        }

        private void OnDelta(TrendDelta delta)
        {
            var resync = false;
            lock (_gate)
            {
                var n = Interlocked.Increment(ref _seenDeltas);
                if (n == _dropDelta)
                {
                    return; // "lost"
                }

                SmallestDelta = Math.Min(SmallestDelta, delta.Items.Count + delta.Patches.Count + delta.Removed.Count);
                if (Replica.Apply(delta))
                {
                    Applied++;
                    _history[Replica.Seq] = Replica.Items;
                }
                else if (Replica.HasSnapshot)
                {
                    Gaps++;
                    resync = true;
                }
            }

            if (resync)
            {
                _ = Connection.InvokeAsync("Resync", Topic);
            }
        }
    }
}
