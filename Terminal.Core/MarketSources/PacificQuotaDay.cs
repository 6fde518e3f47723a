using System.Globalization;

namespace Terminal.Core.MarketSources;

/// <summary>
/// Google resets YouTube Data API quota at midnight Pacific time (America/Los_Angeles, with daylight
/// saving), so the ledger's day is the Pacific calendar day, not the UTC one.
/// </summary>
public static class PacificQuotaDay
{
    private static readonly TimeZoneInfo Pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    /// <summary>The Pacific calendar day of an instant, as <c>yyyy-MM-dd</c>.</summary>
    public static string Of(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Pacific).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The next Pacific midnight after <paramref name="utc"/>, in UTC (when the quota resets).</summary>
    public static DateTime NextReset(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Pacific);
        var midnight = DateTime.SpecifyKind(local.Date.AddDays(1), DateTimeKind.Unspecified);
        return TimeZoneInfo.ConvertTimeToUtc(midnight, Pacific);
    }
}
