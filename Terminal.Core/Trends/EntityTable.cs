using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>
/// The incremental state rankings scan: per entity, in dense arrays (so a 100,000-entity scan walks
/// memory in order), its platform, topic, publication and clipper, and nine window cursors — the
/// views in force at <c>now</c> and at <c>now − w</c>, <c>now − 2w</c> for each period — each with
/// the interval of instants over which it stays valid. As the windows slide, a cursor is re-sought in
/// the entity's series only when a boundary crosses a reading; a new reading of the entity resets
/// its cursors.
/// </summary>
internal sealed class EntityTable
{
    public const int NowCursor = 0;
    private const int Cursors = 9;
    private const int Stride = Cursors * 3; // value, valid from, valid until

    public TrendNode[] Nodes = new TrendNode[256];
    public int[] Group = new int[256];
    public int[] Topic = new int[256];
    public long[] Published = new long[256];
    public int[] Clipper = new int[256];
    public int[] Creator = new int[256];
    public bool[] Demo = new bool[256];
    public long[] State = new long[256 * Stride];

    public int Count { get; private set; }

    public static int StartCursor(Period period) => 1 + (2 * ((int)period - 1));

    public static int PreviousCursor(Period period) => 2 + (2 * ((int)period - 1));

    public void Add(TrendNode node)
    {
        if (Count == Nodes.Length)
        {
            var size = Nodes.Length * 2;
            Array.Resize(ref Nodes, size);
            Array.Resize(ref Group, size);
            Array.Resize(ref Topic, size);
            Array.Resize(ref Published, size);
            Array.Resize(ref Clipper, size);
            Array.Resize(ref Creator, size);
            Array.Resize(ref Demo, size);
            Array.Resize(ref State, size * Stride);
        }

        node.Slot = Count;
        Nodes[Count] = node;
        Published[Count] = long.MinValue;
        Invalidate(Count);
        Count++;
    }

    public void Describe(int slot, EntityInfo info)
    {
        Group[slot] = info.Platform is { } p ? (int)p : 0;
        Topic[slot] = info.TopicId ?? 0;
        Published[slot] = info.PublishedAt?.Ticks ?? long.MinValue;
        Clipper[slot] = info.ClipperId ?? 0;
        Creator[slot] = info.CreatorId ?? 0;
        Demo[slot] = info.IsDemo;
    }

    public void Invalidate(int slot)
    {
        var state = State;
        for (int c = 0, i = slot * Stride; c < Cursors; c++, i += 3)
        {
            state[i + 2] = long.MinValue; // "valid until" the beginning of time: re-seek on next use
        }
    }

    /// <summary><c>m(e, t)</c> through the cursor <paramref name="cursor"/> of the entity in <paramref name="slot"/>.</summary>
    public long Views(int slot, int cursor, long ticks)
    {
        var state = State;
        var i = (slot * Stride) + (cursor * 3);
        if (ticks >= state[i + 1] && ticks < state[i + 2])
        {
            return state[i];
        }

        var value = Nodes[slot].Series.ViewsCursor(ticks, out var from, out var until);
        state[i] = value;
        state[i + 1] = from;
        state[i + 2] = until;
        return value;
    }
}
