using System.Text.Json.Serialization;

namespace Terminal.Core.Trends;

/// <summary>
/// What changed in a topic's ranking since the tick before: the rows that entered (<see cref="Items"/>, whole), the
/// rows already held whose values or rank changed (<see cref="Patches"/>, only the fields that changed) and the ids of
/// the rows that left. Applied to the state of <c>Seq − 1</c> it gives the state of <paramref name="Seq"/>; a client
/// that misses a number asks for a snapshot instead.
/// </summary>
public sealed record TrendDelta(string Topic, long Seq, IReadOnlyList<TrendItem> Items, IReadOnlyList<int> Removed, DateTime At)
{
    /// <summary>Rows the client holds whose values or rank changed: the id and only the fields that changed.</summary>
    public IReadOnlyList<TrendRowPatch> Patches { get; init; } = [];

    public bool IsEmpty => Items.Count == 0 && Removed.Count == 0 && Patches.Count == 0;
}

/// <summary>
/// The fields of one held row that changed, by id; a field left out (null) is unchanged. A row whose name, platform,
/// topic or demo flag changed, or whose nullable value appeared or went, travels whole in <see cref="TrendDelta.Items"/>.
/// </summary>
public sealed record TrendRowPatch(int Id)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Rank { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Velocity { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Change { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Heat { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ClipperCount { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? Sparkline { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Trending { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? UnderClippedScore { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ClipShareOfVoice { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OpportunityGap { get; init; }

    /// <summary>The patch from <paramref name="old"/> to <paramref name="now"/> (same id), or null when the row must travel whole.</summary>
    public static TrendRowPatch? Between(TrendItem old, TrendItem now)
    {
        if (old.Name != now.Name || old.Platform != now.Platform || old.TopicId != now.TopicId || old.IsDemo != now.IsDemo
            || old.Change.HasValue != now.Change.HasValue || old.UnderClippedScore.HasValue != now.UnderClippedScore.HasValue
            || old.ClipShareOfVoice.HasValue != now.ClipShareOfVoice.HasValue || old.OpportunityGap.HasValue != now.OpportunityGap.HasValue)
        {
            return null;
        }

        return new TrendRowPatch(now.Id)
        {
            Rank = old.Rank == now.Rank ? null : now.Rank,
            Velocity = old.Velocity.Equals(now.Velocity) ? null : now.Velocity,
            Change = Nullable.Equals(old.Change, now.Change) ? null : now.Change,
            Heat = old.Heat.Equals(now.Heat) ? null : now.Heat,
            ClipperCount = old.ClipperCount == now.ClipperCount ? null : now.ClipperCount,
            Sparkline = old.Sparkline.SequenceEqual(now.Sparkline) ? null : now.Sparkline,
            Trending = old.Trending == now.Trending ? null : now.Trending,
            UnderClippedScore = Nullable.Equals(old.UnderClippedScore, now.UnderClippedScore) ? null : now.UnderClippedScore,
            ClipShareOfVoice = Nullable.Equals(old.ClipShareOfVoice, now.ClipShareOfVoice) ? null : now.ClipShareOfVoice,
            OpportunityGap = Nullable.Equals(old.OpportunityGap, now.OpportunityGap) ? null : now.OpportunityGap,
        };
    }

    /// <summary>The row with this patch's fields applied.</summary>
    public TrendItem ApplyTo(TrendItem row) => row with
    {
        Rank = Rank ?? row.Rank,
        Velocity = Velocity ?? row.Velocity,
        Change = Change ?? row.Change,
        Heat = Heat ?? row.Heat,
        ClipperCount = ClipperCount ?? row.ClipperCount,
        Sparkline = Sparkline ?? row.Sparkline,
        Trending = Trending ?? row.Trending,
        UnderClippedScore = UnderClippedScore ?? row.UnderClippedScore,
        ClipShareOfVoice = ClipShareOfVoice ?? row.ClipShareOfVoice,
        OpportunityGap = OpportunityGap ?? row.OpportunityGap,
    };
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

        var entered = new List<TrendItem>();
        var patches = new List<TrendRowPatch>();
        foreach (var item in current)
        {
            if (!before.Remove(item.Id, out var old))
            {
                entered.Add(item);
            }
            else if (!Same(old, item))
            {
                if (TrendRowPatch.Between(old, item) is { } patch)
                {
                    patches.Add(patch);
                }
                else
                {
                    entered.Add(item);
                }
            }
        }

        // What is left in `before` is no longer in the ranking.
        return new TrendDelta(topic, seq, entered, before.Keys.ToArray(), at) { Patches = patches };
    }

    /// <summary>
    /// The ranking after <paramref name="delta"/>: removed rows dropped, patches applied, entered rows added or replaced,
    /// ordered by rank; null when a patch names a row the state does not hold (the delta is not for this state).
    /// </summary>
    public static List<TrendItem>? Apply(IReadOnlyList<TrendItem> state, TrendDelta delta)
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

        foreach (var patch in delta.Patches)
        {
            if (!rows.TryGetValue(patch.Id, out var row))
            {
                return null;
            }

            rows[patch.Id] = patch.ApplyTo(row);
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

        if (TrendDeltas.Apply(Items, delta) is not { } next)
        {
            return false;
        }

        Items = next;
        Seq = delta.Seq;
        return true;
    }
}
