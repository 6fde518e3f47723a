using FluentAssertions;
using Microsoft.AspNetCore.SignalR;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Market;
using Xunit;

namespace Terminal.Tests.Web.Features.Market;

public sealed class MarketHubBroadcasterTests
{
    private const string Topic = "trends:creators:all:24h";

    [Fact]
    public async Task TicksArrivingDuringASlowSend_AreCoalescedToTheNewest()
    {
        var ticker = new FakeTrendTicker();
        var hub = new BlockingHubContext();
        using var broadcaster = new MarketHubBroadcaster(ticker, hub, TimeProvider.System, NullLogger<MarketHubBroadcaster>.Instance);
        broadcaster.Open();
        broadcaster.Join("connection-1", Topic);

        ticker.Push(Topic, TrendItems.Creator(1, "first", 100));
        await Wait.UntilAsync(() => hub.Sent.Count == 1, TimeSpan.FromSeconds(5), "the first tick is being sent");
        ticker.Push(Topic, TrendItems.Creator(2, "stale", 100));
        ticker.Push(Topic, TrendItems.Creator(3, "newest", 100));

        hub.Release();
        await Wait.UntilAsync(() => hub.Sent.Count == 2, TimeSpan.FromSeconds(5), "the pending tick is sent");
        // A later tick goes out after it, so a queued stale tick would show up before this one.
        ticker.Push(Topic, TrendItems.Creator(4, "later", 100));
        await Wait.UntilAsync(() => hub.Sent.Count >= 3, TimeSpan.FromSeconds(5), "the later tick is sent");

        hub.Sent.Select(t => t.Items[0].Name).Should().Equal("first", "newest", "later");
    }

    [Fact]
    public async Task PeriodicSnapshots_TakeTurnsAcrossBuckets_EachBucketOncePerInterval()
    {
        var ticker = new FakeTrendTicker();
        var hub = new RecordingHubContext();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var broadcaster = new MarketHubBroadcaster(ticker, hub, time, NullLogger<MarketHubBroadcaster>.Instance);
        broadcaster.Open();
        var connections = Enumerable.Range(0, 40).Select(i => $"connection-{i}").ToList();
        foreach (var connection in connections)
        {
            broadcaster.Join(connection, Topic, deltas: true);
        }

        // Two intervals of ticks, 4 a second, the market moving on every one.
        var ticks = (int)(2 * broadcaster.ResyncInterval / TimeSpan.FromMilliseconds(250));
        for (var i = 0; i < ticks; i++)
        {
            var before = hub.Sent.Count;
            ticker.Push(Topic, TrendItems.Creator(1, "mover", 100 + i));
            await Wait.UntilAsync(() => hub.Sent.Count > before, TimeSpan.FromSeconds(5), $"tick {i} is sent");
            time.Advance(TimeSpan.FromMilliseconds(250));
        }

        var sends = hub.Sent.ToList();
        var snapshots = sends.Where(s => s.Method == MarketHub.TrendTickMethod && s.Groups.Count > 0).ToList();
        snapshots[0].Groups.Should().HaveCount(MarketHubBroadcaster.ResyncBuckets, "the topic's first tick is a snapshot for everyone");
        var periodic = snapshots.Skip(1).ToList();
        periodic.Should().OnlyContain(s => s.Groups.Count == 1, "after that a tick carries the periodic snapshot of one bucket, never of every subscriber");
        var perBucket = periodic.SelectMany(s => s.Groups).GroupBy(g => g).ToDictionary(g => g.Key, g => g.Count());
        perBucket.Should().HaveCount(MarketHubBroadcaster.ResyncBuckets, "every bucket gets its snapshot");
        perBucket.Values.Should().OnlyContain(n => n >= 1 && n <= 2, "once per interval (two intervals, the first tick aside)");
        var bucketsInUse = connections.Select(c => broadcaster.DeltaTickGroup(Topic, c)).Distinct().Count();
        bucketsInUse.Should().BeGreaterThan(5, "connection ids spread over the buckets");

        // A bucket that gets the snapshot does not get that tick's delta as well.
        var byTick = sends.Where(s => s.Groups.Count > 0).GroupBy(s => s.Seq);
        byTick.Should().OnlyContain(t => t.Where(s => s.Method == MarketHub.TrendTickMethod).SelectMany(s => s.Groups)
            .Intersect(t.Where(s => s.Method == MarketHub.TrendDeltaMethod).SelectMany(s => s.Groups)).Count() == 0);
    }

    /// <summary>Records every send with where it went (the groups of a group send) and the sequence number it carries.</summary>
    private sealed class RecordingHubContext : IHubContext<MarketHub>, IHubClients
    {
        public ConcurrentQueue<(string Method, IReadOnlyList<string> Groups, long Seq)> Sent { get; } = new();

        public IHubClients Clients => this;

        public IGroupManager Groups => throw new NotSupportedException();

        public IClientProxy All => Proxy([]);

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => Proxy([]);

        public IClientProxy Client(string connectionId) => Proxy([]);

        IClientProxy IHubClients<IClientProxy>.Clients(IReadOnlyList<string> connectionIds) => Proxy([]);

        public IClientProxy Group(string groupName) => Proxy([groupName]);

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => Proxy([groupName]);

        IClientProxy IHubClients<IClientProxy>.Groups(IReadOnlyList<string> groupNames) => Proxy(groupNames);

        public IClientProxy User(string userId) => Proxy([]);

        public IClientProxy Users(IReadOnlyList<string> userIds) => Proxy([]);

        private RecordingProxy Proxy(IReadOnlyList<string> groups) => new(this, [.. groups]);

        private sealed class RecordingProxy(RecordingHubContext hub, IReadOnlyList<string> groups) : IClientProxy
        {
            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
            {
                var seq = args[0] switch
                {
                    TrendTick tick => tick.Seq,
                    TrendDelta delta => delta.Seq,
                    _ => -1,
                };
                hub.Sent.Enqueue((method, groups, seq));
                return Task.CompletedTask;
            }
        }
    }

    /// <summary>A hub context whose group sends record the tick and block until released.</summary>
    private sealed class BlockingHubContext : FakeHubContext<MarketHub>
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<TrendTick> _sent = [];

        public IReadOnlyList<TrendTick> Sent
        {
            get
            {
                lock (_sent)
                {
                    return _sent.ToArray();
                }
            }
        }

        public void Release() => _release.TrySetResult();

        public override Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            lock (_sent)
            {
                _sent.Add((TrendTick)args[0]!);
            }

            return _release.Task;
        }
    }
}
