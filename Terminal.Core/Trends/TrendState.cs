using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>
/// The engine's in-memory market: per kind, each entity's facts and series of readings, and for creators
/// and clips the dense <see cref="EntityTable"/> that rankings scan. Not thread-safe by itself: callers
/// hold <see cref="Lock"/> (write to change, read to rank).
/// </summary>
internal sealed class TrendState : IDisposable
{
    private long _newestTicks;

    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.NoRecursion);

    public Dictionary<int, TrendNode> Creators { get; } = [];

    public Dictionary<int, TrendNode> Clips { get; } = [];

    public Dictionary<int, TrendNode> Topics { get; } = [];

    public EntityTable CreatorTable { get; } = new();

    public EntityTable ClipTable { get; } = new();

    public int Count => Creators.Count + Clips.Count + Topics.Count;

    public Dictionary<int, TrendNode> NodesOf(EntityKind kind) => kind switch
    {
        EntityKind.Creator => Creators,
        EntityKind.Clip => Clips,
        EntityKind.Topic => Topics,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Names and places an entity; a clip moved to another creator leaves the old one's list.</summary>
    public void Register(EntityInfo info)
    {
        var node = Node(info.Kind, info.Id);
        if (info.Kind == EntityKind.Clip)
        {
            var previousCreator = node.Info?.CreatorId;
            if (previousCreator is { } old && old != info.CreatorId && Creators.TryGetValue(old, out var oldCreator))
            {
                oldCreator.Clips?.Remove(node);
            }

            if (info.CreatorId is { } creatorId && previousCreator != creatorId)
            {
                var creator = Node(EntityKind.Creator, creatorId);
                (creator.Clips ??= []).Add(node);
            }
        }

        node.Info = info;
        TableOf(info.Kind)?.Describe(node.Slot, info);
    }

    /// <summary>Appends a reading and trims history past <see cref="TrendEngine.Retention"/>.</summary>
    public void Add(EntityKind kind, int id, Reading reading)
    {
        var node = Node(kind, id);
        node.Series.Add(reading);
        TableOf(kind)?.Invalidate(node.Slot);
        if (reading.Ticks > _newestTicks)
        {
            _newestTicks = reading.Ticks;
        }

        // Trim lazily: only once the oldest kept reading is a day past the horizon.
        var horizon = _newestTicks - TrendEngine.Retention.Ticks;
        if (node.Series.Count > 2 && node.Series.Readings[1].Ticks < horizon - TimeSpan.TicksPerDay)
        {
            node.Series.Trim(horizon);
        }
    }

    public void Dispose() => Lock.Dispose();

    private TrendNode Node(EntityKind kind, int id)
    {
        var nodes = NodesOf(kind);
        if (!nodes.TryGetValue(id, out var node))
        {
            node = new TrendNode(kind, id);
            nodes[id] = node;
            TableOf(kind)?.Add(node);
        }

        return node;
    }

    private EntityTable? TableOf(EntityKind kind) => kind switch
    {
        EntityKind.Creator => CreatorTable,
        EntityKind.Clip => ClipTable,
        _ => null,
    };
}

/// <summary>One entity in the engine: its facts, its readings and its place in its kind's table.</summary>
internal sealed class TrendNode(EntityKind kind, int id)
{
    public EntityKind Kind { get; } = kind;

    public int Id { get; } = id;

    public EntityInfo? Info { get; set; }

    public MetricSeries Series { get; } = new();

    /// <summary>Creators: their clips.</summary>
    public List<TrendNode>? Clips { get; set; }

    /// <summary>Position in its kind's <see cref="EntityTable"/>.</summary>
    public int Slot { get; set; } = -1;
}
