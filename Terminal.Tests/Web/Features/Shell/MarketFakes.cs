using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Tests.Web.Features.Shell;

/// <summary>A market status the test sets by hand.</summary>
public sealed class FakeMarketStatus : IMarketStatus
{
    public FeedState State { get; set; } = FeedState.Live;

    public bool IsDemo { get; set; }

    public DateTime? LastTickAt { get; set; }

    public event Action? Changed;

    public void Raise() => Changed?.Invoke();
}

/// <summary>A ticker the test pushes ticks into, per topic.</summary>
public sealed class FakeTrendTicker : ITrendTicker
{
    private readonly Lock _gate = new();
    private readonly List<(string Topic, Action<TrendTick> Handler)> _subscribers = [];

    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Select(s => s.Topic).ToArray();
            }
        }
    }

    public IDisposable Subscribe(string topic, Action<TrendTick> onTick)
    {
        var entry = (topic, onTick);
        lock (_gate)
        {
            _subscribers.Add(entry);
        }

        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(entry);
            }
        });
    }

    public void Refresh(string topic)
    {
    }

    public void Push(string topic, params TrendItem[] items)
    {
        Action<TrendTick>[] handlers;
        lock (_gate)
        {
            handlers = _subscribers.Where(s => s.Topic == topic).Select(s => s.Handler).ToArray();
        }

        var tick = new TrendTick(topic, items, DateTime.UtcNow);
        foreach (var handler in handlers)
        {
            handler(tick);
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

public static class TrendItems
{
    public static TrendItem Creator(int rank, string name, double velocity, double? change = 0.1, Platform platform = Platform.TikTok) =>
        new(rank, rank * 10, name, platform, velocity, change, 100 - rank, rank, [1, 2, 3, velocity]);
}
