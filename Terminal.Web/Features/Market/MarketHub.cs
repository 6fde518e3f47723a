using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Terminal.Core.Trends;

namespace Terminal.Web.Features.Market;

/// <summary>
/// SPEC §5 hub at <c>/hubs/market</c>. Clients call <c>Subscribe(topic)</c> / <c>Unsubscribe(topic)</c>
/// with topics <c>trends:{creators|clips|topics}:{all|tiktok|instagram|youtube}:{1h|24h|7d|30d}</c> and
/// receive <c>TrendTick {topic, items, at}</c> at most 4 times a second per topic. Users are identified by
/// their Identity user id (the NameIdentifier claim), so <c>Clients.User(userId)</c> reaches a user's
/// connections (clip progress).
/// </summary>
[Authorize]
public sealed class MarketHub(MarketHubBroadcaster broadcaster) : Hub
{
    public const string Path = "/hubs/market";

    /// <summary>The client method trend ticks (full rankings, and snapshots for delta subscribers) arrive on.</summary>
    public const string TrendTickMethod = "TrendTick";

    /// <summary>The client method deltas arrive on (<see cref="SubscribeDeltas"/>).</summary>
    public const string TrendDeltaMethod = "TrendDelta";

    /// <summary>Full rankings on every tick (SPEC §5).</summary>
    public async Task Subscribe(string topic)
    {
        var canonical = Validate(topic);
        await Groups.AddToGroupAsync(Context.ConnectionId, broadcaster.TickGroup(canonical), Context.ConnectionAborted);
        broadcaster.Join(Context.ConnectionId, canonical);
    }

    /// <summary>
    /// A snapshot (<c>TrendTick</c> with <c>seq</c>) now and every <see cref="MarketHubBroadcaster.ResyncInterval"/>,
    /// and <c>TrendDelta {topic, seq, items, removed, at}</c> in between: only the rows that changed and the
    /// ids of rows that left. A client that sees a gap in <c>seq</c> calls <see cref="Resync"/>.
    /// </summary>
    public async Task SubscribeDeltas(string topic)
    {
        var canonical = Validate(topic);
        await Groups.AddToGroupAsync(Context.ConnectionId, broadcaster.DeltaTickGroup(canonical, Context.ConnectionId), Context.ConnectionAborted);
        broadcaster.Join(Context.ConnectionId, canonical, deltas: true);
    }

    /// <summary>Asks for a fresh snapshot of a topic subscribed with <see cref="SubscribeDeltas"/> (after a gap).</summary>
    public void Resync(string topic) => broadcaster.RequestSnapshot(Context.ConnectionId, Validate(topic));

    public async Task Unsubscribe(string topic)
    {
        var canonical = Validate(topic);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, broadcaster.TickGroup(canonical), Context.ConnectionAborted);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, broadcaster.DeltaTickGroup(canonical, Context.ConnectionId), Context.ConnectionAborted);
        broadcaster.Leave(Context.ConnectionId, canonical);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        broadcaster.LeaveAll(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private static string Validate(string? topic) =>
        TrendTopics.TryParse(topic, out _, out var canonical)
            ? canonical
            : throw new HubException($"Unknown topic '{topic}'. Topics look like {TrendTopics.Format}, e.g. trends:creators:all:24h.");
}

/// <summary>
/// Bridges <see cref="ITrendTicker"/> to hub groups: one ticker subscription per topic that has at least
/// one connection on this server. Plain subscribers (group <c>topic</c>) get every ranking in full; delta
/// subscribers (group <see cref="DeltaGroup"/>) get a numbered snapshot when they join, on request and every
/// <see cref="ResyncInterval"/>, and <see cref="TrendDelta"/>s in between. Every message to a group is
/// one <c>SendAsync</c>, which SignalR serialises once per protocol (its <c>SerializedHubMessage</c>
/// cache), not per connection; only a newcomer's snapshot goes to one connection. Open between the market
/// pipeline's start and stop (<see cref="MarketPipeline"/>); closed, it holds no ticker subscription and
/// joins are ignored.
/// </summary>
public sealed class MarketHubBroadcaster(ITrendTicker ticker, IHubContext<MarketHub> hub, TimeProvider time, ILogger<MarketHubBroadcaster> logger) : IDisposable
{
    private readonly string _groupScope = "";

    /// <summary>The broadcaster of a node that may have peers: its tick groups are this node's own (<see cref="Cluster.ClusterNode.TickGroupScope"/>).</summary>
    public MarketHubBroadcaster(ITrendTicker ticker, IHubContext<MarketHub> hub, TimeProvider time, ILogger<MarketHubBroadcaster> logger, Cluster.ClusterNode node)
        : this(ticker, hub, time, logger)
    {
        _groupScope = node.TickGroupScope;
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TopicEntry> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<string>> _byConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrendTick> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sending = new(StringComparer.Ordinal);
    private bool _open;

    /// <summary>How often delta subscribers get a full snapshot anyway (a client that missed something heals).</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A topic's delta subscribers are spread over this many groups (by connection id) whose periodic snapshots take
    /// turns, a tenth of <see cref="ResyncInterval"/> apart: a snapshot weighs several deltas, and all subscribers' at
    /// once made one tick in every interval the slowest (the bench's p99). Every group send is still serialised once.
    /// </summary>
    public const int ResyncBuckets = 10;

    /// <summary>The hub group of a topic's delta subscribers in one resync bucket (on a single node).</summary>
    public static string DeltaGroup(string topic, int bucket) => $"{topic}|delta/{bucket}";

    /// <summary>The resync bucket of a connection: stable for its lifetime (a hash of its id).</summary>
    public static int Bucket(string connectionId)
    {
        var hash = 0u;
        foreach (var c in connectionId)
        {
            hash = (hash * 31) + c;
        }

        return (int)(hash % ResyncBuckets);
    }

    /// <summary>
    /// This node's hub group of a topic's full-ranking subscribers. Every node ticks for its own
    /// connections from its own engine, so with the Redis backplane the group is node-scoped: a group send
    /// reaches only this node's members, never the other node's (they get that node's ticks).
    /// </summary>
    public string TickGroup(string topic) => topic + _groupScope;

    /// <summary>This node's hub group of a topic's delta subscribers in the connection's bucket (see <see cref="TickGroup"/>).</summary>
    public string DeltaTickGroup(string topic, string connectionId) => DeltaBucketGroup(topic, Bucket(connectionId));

    private string DeltaBucketGroup(string topic, int bucket) => DeltaGroup(topic, bucket) + _groupScope;

    /// <summary>True between <see cref="Open"/> and <see cref="Close"/>.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    public IReadOnlyCollection<string> Topics
    {
        get
        {
            lock (_gate)
            {
                return _topics.Keys.ToArray();
            }
        }
    }

    public void Join(string connectionId, string topic) => Join(connectionId, topic, deltas: false);

    public void Join(string connectionId, string topic, bool deltas)
    {
        var refresh = false;
        lock (_gate)
        {
            if (!_open)
            {
                return; // the host is not running (or stopping): nothing is connected to send with
            }

            if (!_topics.TryGetValue(topic, out var entry))
            {
                entry = new TopicEntry(time.GetTimestamp(), ResyncInterval, time.TimestampFrequency);
                _topics[topic] = entry;
                // The ticker's first tick for a new topic comes within a quarter second.
                entry.Subscription = ticker.Subscribe(topic, Enqueue);
            }
            else
            {
                refresh = true;
            }

            (deltas ? entry.Delta : entry.Full).Add(connectionId);
            if (deltas)
            {
                entry.NeedSnapshot.Add(connectionId);
            }

            _byConnection.GetOrAdd(connectionId, _ => []).Add(topic);
        }

        if (refresh)
        {
            ticker.Refresh(topic); // the newcomer gets the current ranking (or its snapshot) with the next tick
        }
    }

    /// <summary>A delta subscriber asks for a snapshot (it saw a gap); it comes with the topic's next tick.</summary>
    public void RequestSnapshot(string connectionId, string topic)
    {
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out var entry) || !entry.Delta.Contains(connectionId))
            {
                return;
            }

            entry.NeedSnapshot.Add(connectionId);
        }

        ticker.Refresh(topic);
    }

    public void Leave(string connectionId, string topic)
    {
        lock (_gate)
        {
            if (_byConnection.TryGetValue(connectionId, out var topics))
            {
                topics.Remove(topic);
            }

            RemoveLocked(connectionId, topic);
        }
    }

    public void LeaveAll(string connectionId)
    {
        lock (_gate)
        {
            if (_byConnection.TryRemove(connectionId, out var topics))
            {
                foreach (var topic in topics)
                {
                    RemoveLocked(connectionId, topic);
                }
            }
        }
    }

    /// <summary>Accepts joins (the market pipeline opens it at start).</summary>
    public void Open()
    {
        lock (_gate)
        {
            _open = true;
        }
    }

    /// <summary>Drops every ticker subscription and refuses joins until opened again.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _open = false;
            _byConnection.Clear();
            foreach (var entry in _topics.Values)
            {
                entry.Subscription?.Dispose();
            }

            _topics.Clear();
        }
    }

    public void Dispose() => Close();

    private void RemoveLocked(string connectionId, string topic)
    {
        if (!_topics.TryGetValue(topic, out var entry))
        {
            return;
        }

        entry.Full.Remove(connectionId);
        entry.Delta.Remove(connectionId);
        entry.NeedSnapshot.Remove(connectionId);
        if (entry.Full.Count == 0 && entry.Delta.Count == 0)
        {
            entry.Subscription?.Dispose();
            _topics.Remove(topic);
        }
    }

    /// <summary>
    /// One send in flight per topic; a tick that arrives meanwhile replaces any older unsent one, so a
    /// slow fan-out delivers the newest ranking next instead of a queue of stale ones. (Deltas are taken
    /// against what was last sent, so a skipped ranking loses nothing.)
    /// </summary>
    private void Enqueue(TrendTick tick)
    {
        var start = false;
        lock (_pending)
        {
            if (_sending.Add(tick.Topic))
            {
                start = true;
            }
            else
            {
                _pending[tick.Topic] = tick;
            }
        }

        if (start)
        {
            _ = SendLoopAsync(tick);
        }
    }

    private async Task SendLoopAsync(TrendTick tick)
    {
        while (true)
        {
            try
            {
                await SendAsync(tick);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Sending a trend tick for {Topic} failed", tick.Topic);
            }

            lock (_pending)
            {
                if (!_pending.Remove(tick.Topic, out var next))
                {
                    _sending.Remove(tick.Topic);
                    return;
                }

                tick = next;
            }
        }
    }

    /// <summary>One tick of one topic: runs on that topic's send loop only, so its sends stay in order per connection.</summary>
    private async Task SendAsync(TrendTick tick)
    {
        TopicEntry? entry;
        bool full, deltas;
        string[] newcomers;
        lock (_gate)
        {
            if (!_topics.TryGetValue(tick.Topic, out entry))
            {
                return;
            }

            full = entry.Full.Count > 0;
            deltas = entry.Delta.Count > 0;
            newcomers = [.. entry.NeedSnapshot];
            entry.NeedSnapshot.Clear();
        }

        if (full)
        {
            await hub.Clients.Group(TickGroup(tick.Topic)).SendAsync(MarketHub.TrendTickMethod, tick);
        }

        // The delta state advances on every tick, whoever listens, so that a newcomer's snapshot is current.
        // Delta subscribers get rows at the wire's precision (TrendWirePrecision), so a row travels when it moves on a screen.
        var items = TrendWirePrecision.Apply(tick.Items);
        var delta = TrendDeltas.Diff(tick.Topic, entry.Seq + 1, entry.Items, items, tick.At);

        // The buckets whose periodic snapshot is due get it in place of this tick's delta; the rest get the delta.
        var now = time.GetTimestamp();
        var due = new List<string>(1);
        var rest = new List<string>(ResyncBuckets);
        var dueBuckets = new bool[ResyncBuckets];
        if (deltas)
        {
            for (var b = 0; b < ResyncBuckets; b++)
            {
                var periodic = time.GetElapsedTime(entry.SnapshotAt[b], now) >= ResyncInterval;
                if (periodic)
                {
                    entry.SnapshotAt[b] = now;
                }

                // A topic's first tick is a snapshot for everyone: nobody holds a state a delta could apply to.
                dueBuckets[b] = periodic || entry.Seq == 0;

                (dueBuckets[b] ? due : rest).Add(DeltaBucketGroup(tick.Topic, b));
            }
        }

        // Every snapshot carries a number of its own (a client's stream never repeats one); the buckets that get the
        // delta then get it even when empty, so that their next number follows.
        if (!delta.IsEmpty || due.Count > 0 || entry.Seq == 0)
        {
            entry.Seq++;
        }

        entry.Items = items;
        var snapshot = tick with { Items = items, Seq = entry.Seq };
        if (due.Count > 0)
        {
            await hub.Clients.Groups(due).SendAsync(MarketHub.TrendTickMethod, snapshot);
        }

        if (rest.Count > 0 && (!delta.IsEmpty || due.Count > 0))
        {
            await hub.Clients.Groups(rest).SendAsync(MarketHub.TrendDeltaMethod, delta with { Seq = entry.Seq });
        }

        foreach (var connectionId in newcomers.Where(c => !dueBuckets[Bucket(c)]))
        {
            await hub.Clients.Client(connectionId).SendAsync(MarketHub.TrendTickMethod, snapshot);
        }
    }

    private sealed class TopicEntry
    {
        /// <summary>Staggers the buckets' periodic snapshots evenly over one interval, starting from now.</summary>
        public TopicEntry(long now, TimeSpan interval, long frequency)
        {
            var step = interval.TotalSeconds / ResyncBuckets * frequency;
            for (var b = 0; b < ResyncBuckets; b++)
            {
                SnapshotAt[b] = now - (long)(step * (b + 1));
            }
        }

        public IDisposable? Subscription { get; set; }

        public HashSet<string> Full { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Delta { get; } = new(StringComparer.Ordinal);

        public HashSet<string> NeedSnapshot { get; } = new(StringComparer.Ordinal);

        /// <summary>The ranking as of <see cref="Seq"/> (what delta subscribers hold).</summary>
        public IReadOnlyList<TrendItem> Items { get; set; } = [];

        public long Seq { get; set; }

        /// <summary>When each resync bucket last got its periodic snapshot (timestamps of the broadcaster's clock).</summary>
        public long[] SnapshotAt { get; } = new long[ResyncBuckets];
    }
}
