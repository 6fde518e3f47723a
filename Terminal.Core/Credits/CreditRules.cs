namespace Terminal.Core.Credits;

/// <summary>Clip pricing (SPEC §4): one credit per started minute of clip.</summary>
public static class CreditRules
{
    /// <summary>Credits for a clip of <paramref name="durationSeconds"/>: ceil(duration / 60), at least 1.</summary>
    public static int CostOf(double durationSeconds)
    {
        if (!double.IsFinite(durationSeconds) || durationSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "A clip has a positive, finite duration.");
        }

        return (int)Math.Ceiling(durationSeconds / 60.0);
    }
}
