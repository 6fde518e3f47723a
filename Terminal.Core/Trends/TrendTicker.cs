using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>
/// Pushes rankings per topic (<see cref="TrendTopics"/>) whenever the market moves: at most one tick
/// per <see cref="MinInterval"/> (4 a second) per topic, a burst of market updates coalesced into the
/// next tick. Only topics with subscribers are computed. Ticks run on the timer's thread pool thread,
/// never on the publisher's.
/// </summary>
public sealed class TrendTicker : ITrendTicker, IDisposable
{
    /// <summary>Minimum spacing of two ticks of one topic (SPEC §5: at most 4 per second).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    private readonly ITrendReader _reader;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);

    /// <summary>A ticker over any reader. It subscribes to nothing: whoever wires the market (the host's
    /// market pipeline) calls <see cref="OnMarketChanged"/> when the market moves.</summary>
    public TrendTicker(ITrendReader reader, TimeProvider time)
    {
        _reader = reader;
        _time = time;
    }

    /// <summary>Topics with at least one subscriber.</summary>
    public IReadOnlyCollection<string> ActiveTopics
    {
        get
        {
            lock (_gate)
            {
                return _topics.Keys.ToArray();
            }
        }
    }

    public IDisposable Subscribe(string topic, Action<TrendTick> onTick)
    {
        if (!TrendTopics.TryParse(topic, out var query, out var canonical))
        {
            throw new ArgumentException($"Unknown topic '{topic}'. Topics look like {TrendTopics.Format}.", nameof(topic));
        }

        TopicState state;
        lock (_gate)
        {
            if (!_topics.TryGetValue(canonical, out state!))
            {
                state = new TopicState(canonical, query);
                state.Timer = _time.CreateTimer(s => Fire((TopicState)s!), state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _topics[canonical] = state;
            }

            state.Handlers = [.. state.Handlers, onTick];
        }

        Request(state);
        return new Subscription(this, state, onTick);
    }

    public void Refresh(string topic)
    {
        if (!TrendTopics.TryParse(topic, out _, out var canonical))
        {
            return;
        }

        TopicState? state;
        lock (_gate)
        {
            _topics.TryGetValue(canonical, out state);
        }

        if (state is not null)
        {
            Request(state);
        }
    }

    /// <summary>The market moved: every active topic ticks soon (coalesced).</summary>
    public void OnMarketChanged()
    {
        TopicState[] states;
        lock (_gate)
        {
            if (_topics.Count == 0)
            {
                return;
            }

            states = [.. _topics.Values];
        }

        foreach (var state in states)
        {
            Request(state);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var state in _topics.Values)
            {
                state.Timer?.Dispose();
            }

            _topics.Clear();
        }
    }

    private void Request(TopicState state)
    {
        lock (state)
        {
            if (state.Scheduled || state.Timer is null)
            {
                return; // the pending tick will read the newest ranking when it fires
            }

            state.Scheduled = true;
            var due = state.LastSent is { } last ? MinInterval - _time.GetElapsedTime(last) : TimeSpan.Zero;
            state.Timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire(TopicState state)
    {
        Action<TrendTick>[] handlers;
        lock (state)
        {
            state.Scheduled = false;
            state.LastSent = _time.GetTimestamp();
            handlers = state.Handlers;
        }

        if (handlers.Length == 0)
        {
            return;
        }

        TrendTick tick;
        try
        {
            var result = _reader.Query(state.Query);
            tick = new TrendTick(state.Topic, result.Data, result.GeneratedAt);
        }
        catch (ObjectDisposedException)
        {
            return; // shutting down
        }

        foreach (var handler in handlers)
        {
            try
            {
                handler(tick);
            }
            catch (Exception)
            {
                // REVIEW: Core has no logger; a failing subscriber must not starve the others. Subscribers log their own errors.
            }
        }
    }

    private void Unsubscribe(TopicState state, Action<TrendTick> handler)
    {
        lock (_gate)
        {
            lock (state)
            {
                var index = Array.IndexOf(state.Handlers, handler);
                if (index >= 0)
                {
                    state.Handlers = [.. state.Handlers[..index], .. state.Handlers[(index + 1)..]];
                }

                if (state.Handlers.Length == 0 && _topics.TryGetValue(state.Topic, out var current) && current == state)
                {
                    _topics.Remove(state.Topic);
                    state.Timer?.Dispose();
                    state.Timer = null;
                }
            }
        }
    }

    private sealed class TopicState(string topic, TrendQuery query)
    {
        public string Topic { get; } = topic;

        public TrendQuery Query { get; } = query;

        public Action<TrendTick>[] Handlers { get; set; } = [];

        public ITimer? Timer { get; set; }

        public bool Scheduled { get; set; }

        public long? LastSent { get; set; }
    }

    private sealed class Subscription(TrendTicker owner, TopicState state, Action<TrendTick> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(state, handler);
            }
        }
    }
}
