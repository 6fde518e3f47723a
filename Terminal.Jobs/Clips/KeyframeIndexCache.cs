namespace Terminal.Jobs.Clips;

/// <summary>
/// The whole packet index of recently cut local VODs, in memory and bounded, so repeated exact cuts of one VOD
/// (a hot zone is cut by many clippers) plan from memory instead of starting an ffprobe each time. Keyed by
/// path, size and modification time: a VOD replaced on disk is a different key and is probed afresh.
/// </summary>
public sealed class KeyframeIndexCache
{
    /// <summary>How many VOD indexes are kept (a 20-minute 25 fps VOD is ~30,000 packets, under 1 MB).</summary>
    public const int Capacity = 16;

    private readonly object _gate = new();
    private readonly Dictionary<Key, LinkedListNode<(Key Key, KeyframeWindow Index)>> _entries = [];
    private readonly LinkedList<(Key Key, KeyframeWindow Index)> _recent = new();

    /// <summary>The identity of a file's contents as the cache sees them; null when the file cannot be read.</summary>
    public static Key? KeyOf(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? new Key(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    public bool TryGet(Key key, out KeyframeWindow index)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                index = node.Value.Index;
                return true;
            }
        }

        index = null!;
        return false;
    }

    public void Add(Key key, KeyframeWindow index)
    {
        lock (_gate)
        {
            if (_entries.Remove(key, out var old))
            {
                _recent.Remove(old);
            }

            _entries[key] = _recent.AddFirst((key, index));
            while (_entries.Count > Capacity)
            {
                var last = _recent.Last!;
                _recent.RemoveLast();
                _entries.Remove(last.Value.Key);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// The part of a whole-file index a windowed probe of <c>[start, end]</c> would have read: from the last
    /// keyframe at or before <paramref name="startSeconds"/> (decode order) up to the first packet shown after
    /// <paramref name="untilSeconds"/>, times relative to the source's start as ffmpeg's <c>-ss</c>.
    /// </summary>
    public static KeyframeWindow Slice(KeyframeWindow index, double startSeconds, double untilSeconds)
    {
        var packets = index.Packets;
        double At(VideoPacket p) => index.Video.Seconds(p.Pts) - index.StartTime;
        var from = 0;
        for (var i = 0; i < packets.Count; i++)
        {
            if (packets[i].Key && packets[i].Pts != long.MinValue && At(packets[i]) <= startSeconds + 1e-6)
            {
                from = i;
            }
            else if (packets[i].Pts != long.MinValue && At(packets[i]) > startSeconds + 1e-6 && packets[i].Key)
            {
                break;
            }
        }

        var to = from;
        while (to < packets.Count && (packets[to].Pts == long.MinValue || At(packets[to]) <= untilSeconds + 1e-6))
        {
            to++;
        }

        return index with { Packets = packets.Skip(from).Take(to - from).ToArray() };
    }

    public readonly record struct Key(string Path, long Length, long LastWriteTicks);
}
