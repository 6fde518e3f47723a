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

    /// <summary>The client method trend ticks arrive on.</summary>
    public const string TrendTickMethod = "TrendTick";

    public async Task Subscribe(string topic)
    {
        var canonical = Validate(topic);
        await Groups.AddToGroupAsync(Context.ConnectionId, canonical, Context.ConnectionAborted);
        broadcaster.Join(Context.ConnectionId, canonical);
    }

    public async Task Unsubscribe(string topic)
    {
        var canonical = Validate(topic);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, canonical, Context.ConnectionAborted);
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
/// one connection on this server, sending to the topic's group. Open between the market pipeline's
/// start and stop (<see cref="MarketPipeline"/>); closed, it holds no ticker subscription and joins are ignored.
/// </summary>
public sealed class MarketHubBroadcaster(ITrendTicker ticker, IHubContext<MarketHub> hub, ILogger<MarketHubBroadcaster> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (IDisposable Subscription, HashSet<string> Connections)> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<string>> _byConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrendTick> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sending = new(StringComparer.Ordinal);
    private bool _open;

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

    public void Join(string connectionId, string topic)
    {
        var refresh = false;
        lock (_gate)
        {
            if (!_open)
            {
                return; // the host is not running (or stopping): nothing is connected to send with
            }

            if (_topics.TryGetValue(topic, out var entry))
            {
                refresh = entry.Connections.Add(connectionId);
            }
            else
            {
                // The ticker's first tick for a new topic comes within a quarter second.
                var subscription = ticker.Subscribe(topic, Enqueue);
                _topics[topic] = (subscription, [connectionId]);
            }

            _byConnection.GetOrAdd(connectionId, _ => []).Add(topic);
        }

        if (refresh)
        {
            ticker.Refresh(topic); // the newcomer gets the current ranking with the group's next tick
        }
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
            foreach (var (subscription, _) in _topics.Values)
            {
                subscription.Dispose();
            }

            _topics.Clear();
        }
    }

    public void Dispose() => Close();

    private void RemoveLocked(string connectionId, string topic)
    {
        if (_topics.TryGetValue(topic, out var entry) && entry.Connections.Remove(connectionId) && entry.Connections.Count == 0)
        {
            entry.Subscription.Dispose();
            _topics.Remove(topic);
        }
    }

    /// <summary>
    /// One send in flight per topic; a tick that arrives meanwhile replaces any older unsent one, so a
    /// slow fan-out delivers the newest ranking next instead of a queue of stale ones.
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
                await hub.Clients.Group(tick.Topic).SendAsync(MarketHub.TrendTickMethod, tick);
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
}
