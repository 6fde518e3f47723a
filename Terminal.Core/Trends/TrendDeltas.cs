namespace Terminal.Core.Trends;

/// <summary>
/// What changed in a topic's ranking since the tick before: the rows whose values or rank changed (or
/// that are new) and the ids of the rows that left. Applied to the state of <c>Seq − 1</c> it gives the
/// state of <paramref name="Seq"/>; a client that misses a number asks for a snapshot instead.
/// </summary>
public sealed record TrendDelta(string Topic, long Seq, IReadOnlyList<TrendItem> Items, IReadOnlyList<int> Removed, DateTime At)
{
    public bool IsEmpty => Items.Count == 0 && Removed.Count == 0;
}

/// <summary>Diffs rankings into <see cref="TrendDelta"/>s and applies them (the server's and the clients' half).</summary>
public static class TrendDeltas
{
    /// <summary>The delta from <paramref name="previous"/> to <paramref name="current"/> (rows keyed by id).</summary>
    public static TrendDelta Diff(string topic, long seq, IReadOnlyList<TrendItem> previous, IReadOnlyList<TrendItem> current, DateTime at)
    {
        var before = new Dictionary<int, TrendItem>(previous.Count);
        foreach (var item in previous)
        {
            before[item.Id] = item;
        }

        var changed = new List<TrendItem>();
        foreach (var item in current)
        {
            if (!before.Remove(item.Id, out var old) || !Same(old, item))
            {
                changed.Add(item);
            }
        }

        // What is left in `before` is no longer in the ranking.
        return new TrendDelta(topic, seq, changed, before.Keys.ToArray(), at);
    }

    /// <summary>The ranking after <paramref name="delta"/>: removed rows dropped, changed rows replaced or added, ordered by rank.</summary>
    public static List<TrendItem> Apply(IReadOnlyList<TrendItem> state, TrendDelta delta)
    {
        var rows = new Dictionary<int, TrendItem>(state.Count + delta.Items.Count);
        foreach (var item in state)
        {
            rows[item.Id] = item;
        }

        foreach (var id in delta.Removed)
        {
            rows.Remove(id);
        }

        foreach (var item in delta.Items)
        {
            rows[item.Id] = item;
        }

        return rows.Values.OrderBy(i => i.Rank).ToList();
    }

    /// <summary>Value equality of two rows (a record's own equality compares the sparkline list by reference).</summary>
    public static bool Same(TrendItem a, TrendItem b) =>
        a == b || ((a with { Sparkline = b.Sparkline }) == b && a.Sparkline.SequenceEqual(b.Sparkline));
}

/// <summary>
/// A client's copy of one topic: a snapshot (<see cref="TrendTick"/> with its <see cref="TrendTick.Seq"/>)
/// then deltas in order. A delta whose number is not the next one is a gap: the replica refuses it and
/// the client asks for a snapshot (hub method <c>Resync(topic)</c>). Deltas older than the snapshot are ignored.
/// </summary>
public sealed class TrendReplica
{
    public long Seq { get; private set; } = -1;

    public IReadOnlyList<TrendItem> Items { get; private set; } = [];

    public bool HasSnapshot => Seq >= 0;

    public void Apply(TrendTick snapshot)
    {
        if (snapshot.Seq >= Seq)
        {
            Seq = snapshot.Seq;
            Items = snapshot.Items;
        }
    }

    /// <summary>Applies the next delta; false when it does not follow (no snapshot yet, or a gap): ask for a snapshot.</summary>
    public bool Apply(TrendDelta delta)
    {
        if (HasSnapshot && delta.Seq <= Seq)
        {
            return true; // already covered by a later snapshot
        }

        if (!HasSnapshot || delta.Seq != Seq + 1)
        {
            return false;
        }

        Items = TrendDeltas.Apply(Items, delta);
        Seq = delta.Seq;
        return true;
    }
}
