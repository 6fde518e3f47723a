using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>The cumulative metrics a snapshot carries.</summary>
public enum Metric
{
    Views = 0,
    Likes = 1,
    Comments = 2,
    Shares = 3,
    Followers = 4,
}

/// <summary>One stored reading, compact (48 bytes) so that 100,000 entities × a month of history fit.</summary>
public readonly record struct Reading(long Ticks, long Views, long Likes, long Comments, long Shares, long Followers)
{
    public static Reading From(MetricSnapshot s) => new(s.At.Ticks, s.Views, s.Likes, s.Comments, s.Shares, s.Followers);

    public long Get(Metric metric) => metric switch
    {
        Metric.Views => Views,
        Metric.Likes => Likes,
        Metric.Comments => Comments,
        Metric.Shares => Shares,
        Metric.Followers => Followers,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };
}

/// <summary>
/// The readings of one entity, sorted by time: a growable array whose old end is trimmed past a
/// retention horizon (the last reading at or before the horizon is kept, so <c>m(e, t)</c> stays exact
/// for every <c>t</c> at or after it). Appending in time order is O(1) amortised; a late reading is
/// inserted in place; a reading at an instant already present replaces it. Not thread-safe: the
/// engine guards it.
/// </summary>
public sealed class MetricSeries
{
    private Reading[] _items = new Reading[4];
    private int _start;
    private int _count;

    public int Count => _count;

    public ReadOnlySpan<Reading> Readings => _items.AsSpan(_start, _count);

    public Reading? Latest => _count == 0 ? null : _items[_start + _count - 1];

    public void Add(Reading reading)
    {
        if (_count == 0 || reading.Ticks > _items[_start + _count - 1].Ticks)
        {
            EnsureRoomAtEnd();
            _items[_start + _count] = reading;
            _count++;
            return;
        }

        var index = LowerBound(reading.Ticks);
        if (index < _count && _items[_start + index].Ticks == reading.Ticks)
        {
            _items[_start + index] = reading;
            return;
        }

        EnsureRoomAtEnd();
        Array.Copy(_items, _start + index, _items, _start + index + 1, _count - index);
        _items[_start + index] = reading;
        _count++;
    }

    /// <summary>Drops readings older than <paramref name="horizonTicks"/>, keeping the last one at or before it.</summary>
    public void Trim(long horizonTicks)
    {
        if (_count == 0)
        {
            return;
        }

        var keepFrom = UpperBound(horizonTicks) - 1; // last reading at or before the horizon
        if (keepFrom <= 0)
        {
            return;
        }

        _start += keepFrom;
        _count -= keepFrom;
    }

    /// <summary>
    /// <c>m(e, t)</c>: the latest reading at or before <paramref name="ticks"/>; the earliest reading when all
    /// are later (flat backwards, see <see cref="TrendFormulas"/>); 0 when there is none.
    /// </summary>
    public long ValueAt(long ticks, Metric metric)
    {
        if (_count == 0)
        {
            return 0;
        }

        var index = UpperBound(ticks) - 1;
        return _items[_start + Math.Max(index, 0)].Get(metric);
    }

    /// <summary>Views at or before <paramref name="ticks"/> (the hot path of every ranking).</summary>
    public long ViewsAt(long ticks)
    {
        if (_count == 0)
        {
            return 0;
        }

        var index = UpperBound(ticks) - 1;
        return _items[_start + Math.Max(index, 0)].Views;
    }

    /// <summary>
    /// Views at <paramref name="ticks"/> (as <see cref="ViewsAt"/>) and the interval <c>[from, until)</c> of
    /// instants that read the same value, so that a caller can keep the answer while a sliding window
    /// boundary stays inside it.
    /// </summary>
    public long ViewsCursor(long ticks, out long from, out long until)
    {
        if (_count == 0)
        {
            from = long.MinValue;
            until = long.MaxValue;
            return 0;
        }

        var index = Math.Max(UpperBound(ticks) - 1, 0);
        // Before the second reading every instant reads the first one (flat backwards).
        from = index == 0 ? long.MinValue : _items[_start + index].Ticks;
        until = index + 1 < _count ? _items[_start + index + 1].Ticks : long.MaxValue;
        return _items[_start + index].Views;
    }

    /// <summary>First index whose time is ≥ ticks.</summary>
    private int LowerBound(long ticks)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_items[_start + mid].Ticks < ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>First index whose time is &gt; ticks.</summary>
    private int UpperBound(long ticks)
    {
        // Most lookups ask for "now": the answer is the end.
        if (_items[_start + _count - 1].Ticks <= ticks)
        {
            return _count;
        }

        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_items[_start + mid].Ticks <= ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void EnsureRoomAtEnd()
    {
        if (_start + _count < _items.Length)
        {
            return;
        }

        if (_start > 0 && _start >= _items.Length / 2)
        {
            // Reclaim the trimmed front instead of growing.
            Array.Copy(_items, _start, _items, 0, _count);
            _start = 0;
            return;
        }

        var bigger = new Reading[Math.Max(4, _items.Length * 2)];
        Array.Copy(_items, _start, bigger, 0, _count);
        _items = bigger;
        _start = 0;
    }
}
