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

/// <summary>A trend reader that answers every query with <see cref="Items"/> (none by default).</summary>
public sealed class StubTrendReader : ITrendReader
{
    public IReadOnlyList<TrendItem> Items { get; set; } = [];

    public TrendResult Query(TrendQuery query) => new(Items, new DateTime(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc));
}

/// <summary>A stand-in for a dependency the test does not reach: any call fails the test loudly.</summary>
public class Unused : System.Reflection.DispatchProxy
{
    public static T Of<T>()
        where T : class => Create<T, Unused>();

    protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
        throw new InvalidOperationException($"The test did not expect a call to {targetMethod?.DeclaringType?.Name}.{targetMethod?.Name}.");
}

/// <summary>Market queries over lists the test fills (one fixed answer for KPIs, series and top lists).</summary>
public sealed class FakeMarketQueries : IMarketQueries
{
    public List<CreatorSummary> Creators { get; } = [];

    public List<VodListItem> Vods { get; } = [];

    public Dictionary<int, ClipSource> ClipSources { get; } = [];

    public Task<ClipSource?> GetClipSourceAsync(int clipId, CancellationToken cancellationToken = default) =>
        Task.FromResult(ClipSources.GetValueOrDefault(clipId));

    public Task<IReadOnlyList<CreatorSummary>> SearchCreatorsAsync(string? search, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CreatorSummary>>(Creators.Where(c => search is null || c.Handle.Contains(search, StringComparison.OrdinalIgnoreCase)).Take(limit).ToArray());

    public Task<CreatorSummary?> FindCreatorAsync(string idOrHandle, CancellationToken cancellationToken = default) =>
        Task.FromResult(Creators.FirstOrDefault(c => c.Handle.Equals(idOrHandle, StringComparison.OrdinalIgnoreCase) || c.Id.ToString() == idOrHandle));

    public Task<CreatorKpis?> GetCreatorKpisAsync(int creatorId, Period period, CancellationToken cancellationToken = default) =>
        Task.FromResult<CreatorKpis?>(new CreatorKpis(2_960_000, 359_160_000, 81_100, 0.25, 3, 97, 95, 0.014, true));

    public Task<IReadOnlyList<SeriesPoint>> GetSeriesAsync(EntityKind kind, int id, string metric, Period period, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SeriesPoint>>([new SeriesPoint(DateTime.UtcNow.AddHours(-1), 1), new SeriesPoint(DateTime.UtcNow, 2)]);

    public Task<IReadOnlyList<RankedClip>> GetTopClipsAsync(int creatorId, Period period, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RankedClip>>([new RankedClip(1, "quinncast: the take", Platform.TikTok, 4, "anime.fans", 69_600, 414.2, DateTime.UtcNow, null)]);

    public Task<IReadOnlyList<RankedClipper>> GetTopClippersAsync(int creatorId, Period period, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RankedClipper>>([new RankedClipper(4, "fitness.bestof", Platform.TikTok, 1, 91_100)]);

    public Task<IReadOnlyList<VodListItem>> GetCreatorVodsAsync(int creatorId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<VodListItem>>(Vods);

    public Task<IReadOnlyList<Topic>> GetTopicsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Topic>>([]);

    public Task<bool> EntityExistsAsync(EntityKind kind, int id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Creators.Any(c => c.Id == id));
}
