namespace Terminal.Core.Market;

/// <summary>Thread-safe in-process implementation of <see cref="IMarketFeed"/>.</summary>
public sealed class InProcessMarketFeed : IMarketFeed
{
    private readonly Lock _gate = new();
    private Action<MarketUpdate>[] _handlers = [];

    public void Publish(MarketUpdate update)
    {
        // Copy-on-write array: publishing never takes the lock.
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            handler(update);
        }
    }

    public IDisposable Subscribe(Action<MarketUpdate> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    private void Unsubscribe(Action<MarketUpdate> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.Where(h => h != handler).ToArray();
        }
    }

    private sealed class Subscription(InProcessMarketFeed owner, Action<MarketUpdate> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(handler);
            }
        }
    }
}

/// <summary>Mutable <see cref="IMarketStatus"/> that the active data source updates.</summary>
public sealed class MarketStatus : IMarketStatus
{
    private volatile int _state;
    private long _lastTickTicks;

    public FeedState State => (FeedState)_state;

    public bool IsDemo { get; set; }

    public DateTime? LastTickAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastTickTicks);
            return ticks == 0 ? null : new DateTime(ticks, DateTimeKind.Utc);
        }
    }

    public event Action? Changed;

    public void SetState(FeedState state)
    {
        _state = (int)state;
        Changed?.Invoke();
    }

    public void MarkTick(DateTime at)
    {
        Interlocked.Exchange(ref _lastTickTicks, at.Ticks);
        Changed?.Invoke();
    }
}
