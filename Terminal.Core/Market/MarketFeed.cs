namespace Terminal.Core.Market;

/// <summary>A batch of fresh snapshots published by a data source (the demo market or a sync).</summary>
/// <param name="At">When the batch was produced (UTC).</param>
/// <param name="Snapshots">The new readings; each is also persisted.</param>
public sealed record MarketUpdate(DateTime At, IReadOnlyList<MetricSnapshot> Snapshots)
{
    /// <summary>Entities that are new (or changed) in this batch, so that subscribers can name and place
    /// them before their snapshots arrive (a clip published this second, a newly monitored creator).</summary>
    public IReadOnlyList<EntityInfo> Entities { get; init; } = [];
}

/// <summary>
/// The in-process market bus. Sources publish; the trend engine, the hub fan-out and the Blazor
/// panels subscribe. Handlers run on the publisher's thread and must be quick (hand off heavy work).
/// </summary>
public interface IMarketFeed
{
    void Publish(MarketUpdate update);

    /// <summary>Subscribes a handler; dispose the result to stop receiving.</summary>
    IDisposable Subscribe(Action<MarketUpdate> handler);
}

/// <summary>State of the market data source, for the status bar and <c>/health</c>.</summary>
public enum FeedState
{
    Off = 0,
    Backfilling = 1,
    Live = 2,
    Faulted = 3,
}

/// <summary>Shared, observable status of the market feed.</summary>
public interface IMarketStatus
{
    FeedState State { get; }

    /// <summary>True when demo (simulated) data is on screen: the UI shows a DEMO badge.</summary>
    bool IsDemo { get; }

    DateTime? LastTickAt { get; }

    /// <summary>Raised whenever <see cref="State"/> or <see cref="LastTickAt"/> changes.</summary>
    event Action? Changed;
}
