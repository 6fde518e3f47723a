using Terminal.Core.Common;
using Terminal.Core.Credits;

namespace Terminal.Core.Clips;

/// <summary>A validated segment of a VOD, in seconds (SPEC §4 clip requests, §8 bad input).</summary>
public readonly record struct ClipRange
{
    /// <summary>Longest single clip (a clip desk cuts segments, not whole VODs).</summary>
    public const double MaxDurationSeconds = 3 * 60 * 60;

    private ClipRange(double start, double end)
    {
        Start = start;
        End = end;
    }

    public double Start { get; }

    public double End { get; }

    public double Duration => End - Start;

    /// <summary>Credits it costs: one per started minute.</summary>
    public int Cost => CreditRules.CostOf(Duration);

    /// <summary>
    /// Checks a requested range against a VOD of <paramref name="vodDurationSeconds"/>: finite numbers,
    /// 0 ≤ start &lt; end ≤ duration, at most <see cref="MaxDurationSeconds"/> long. Throws a 400
    /// <see cref="TerminalException"/> (code <c>invalid_range</c>) otherwise.
    /// </summary>
    public static ClipRange Create(double start, double end, double vodDurationSeconds)
    {
        if (!double.IsFinite(start) || !double.IsFinite(end))
        {
            throw Invalid("startTime and endTime must be finite numbers of seconds.");
        }

        if (start < 0)
        {
            throw Invalid("startTime must be 0 or more.");
        }

        if (start >= end)
        {
            throw Invalid("startTime must be before endTime.");
        }

        if (!double.IsFinite(vodDurationSeconds) || end > vodDurationSeconds + 0.0005)
        {
            throw Invalid($"endTime must be within the VOD ({vodDurationSeconds:0.###} s).");
        }

        if (end - start > MaxDurationSeconds)
        {
            throw Invalid($"A clip is at most {MaxDurationSeconds / 3600:0} hours long.");
        }

        // Millisecond precision is what the desk shows and what ffmpeg is given.
        var s = Math.Round(start, 3);
        var e = Math.Min(Math.Round(end, 3), Math.Round(vodDurationSeconds, 3));
        if (s >= e)
        {
            throw Invalid("The range is shorter than a millisecond.");
        }

        return new ClipRange(s, e);
    }

    /// <summary>
    /// The range a link asks CLIP to mark (INSG outliers open a clip's source range), or null when
    /// either bound is missing or the range would be refused by <see cref="Create"/>.
    /// </summary>
    public static ClipRange? FromLink(double? start, double? end, double vodDurationSeconds)
    {
        if (start is not { } s || end is not { } e)
        {
            return null;
        }

        try
        {
            return Create(s, e, vodDurationSeconds);
        }
        catch (TerminalException)
        {
            return null;
        }
    }

    private static TerminalException Invalid(string message) => TerminalException.BadRequest("invalid_range", message);
}
