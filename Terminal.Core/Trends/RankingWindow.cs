using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>
/// One ranking's window, shared by every ranker: the instants <c>now</c>, <c>now − w</c> and
/// <c>now − 2w</c> (as ticks), the table cursors that serve them, and the small rules every kind applies
/// (which platform group a ranking admits, whether a publication falls inside the window).
/// </summary>
internal readonly struct RankingWindow
{
    public RankingWindow(Period period, DateTime now)
    {
        Length = period.Length();
        Now = now.Ticks;
        Start = Now - Length.Ticks;
        Previous = Start - Length.Ticks;
        StartCursor = EntityTable.StartCursor(period);
        PreviousCursor = EntityTable.PreviousCursor(period);
    }

    /// <summary><c>w</c>.</summary>
    public TimeSpan Length { get; }

    /// <summary><c>now</c> in ticks.</summary>
    public long Now { get; }

    /// <summary><c>now − w</c> in ticks.</summary>
    public long Start { get; }

    /// <summary><c>now − 2w</c> in ticks.</summary>
    public long Previous { get; }

    public int StartCursor { get; }

    public int PreviousCursor { get; }

    /// <summary>True when an entity of platform group <paramref name="group"/> (0: none) ranks under <paramref name="platform"/>.</summary>
    public static bool Admits(int group, Platform? platform) => group != 0 && (platform is not { } p || group == (int)p);

    /// <summary><c>m(e, now)</c>, <c>m(e, now − w)</c>, <c>m(e, now − 2w)</c> of one table entity.</summary>
    public WindowViews Views(EntityTable table, int slot) => new(
        table.Views(slot, EntityTable.NowCursor, Now),
        table.Views(slot, StartCursor, Start),
        table.Views(slot, PreviousCursor, Previous));

    /// <summary>Velocity over the window (<see cref="TrendFormulas.Velocity"/>).</summary>
    public double Velocity(in WindowViews views) => TrendFormulas.Velocity(views.Now, views.Start, Length);

    /// <summary>Velocity over the window before (the base of Δ%).</summary>
    public double PreviousVelocity(in WindowViews views) => TrendFormulas.Velocity(views.Start, views.Previous, Length);

    /// <summary>True when something published at <paramref name="publishedTicks"/> was published inside the window.</summary>
    public bool Contains(long publishedTicks) => publishedTicks > Start && publishedTicks <= Now;
}

/// <summary>An entity's views at the three instants of a <see cref="RankingWindow"/>.</summary>
internal readonly record struct WindowViews(long Now, long Start, long Previous)
{
    /// <summary>Views gained over the window.</summary>
    public long Gain => Now - Start;

    /// <summary>Views gained over the window before.</summary>
    public long PreviousGain => Start - Previous;
}
