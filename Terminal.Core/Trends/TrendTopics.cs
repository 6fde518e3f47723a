using System.Diagnostics.CodeAnalysis;
using Terminal.Core.Market;

namespace Terminal.Core.Trends;

/// <summary>
/// Live ranking topics of SPEC §5: <c>trends:{creators|clips|topics}:{all|tiktok|instagram|youtube}:{1h|24h|7d|30d}</c>.
/// </summary>
public static class TrendTopics
{
    public const string Format = "trends:{creators|clips|topics}:{all|tiktok|instagram|youtube}:{1h|24h|7d|30d}[:{live|demo}]";

    /// <summary>Items per tick.</summary>
    public const int TickItems = 50;

    public static string Of(EntityKind kind, Platform? platform, Period period) =>
        $"trends:{Plural(kind)}:{platform?.ToWire() ?? "all"}:{period.ToWire()}";

    /// <summary>The topic of one market source (SPEC §9): the four-part topic for <c>all</c>, a fifth part
    /// <c>live</c> or <c>demo</c> otherwise (<c>trends:creators:youtube:24h:live</c>).</summary>
    public static string Of(EntityKind kind, Platform? platform, Period period, MarketSourceFilter source) =>
        source == MarketSourceFilter.All ? Of(kind, platform, period) : $"{Of(kind, platform, period)}:{source.ToWire()}";

    /// <summary>Parses a topic (case-insensitive) into the query its ticks answer, canonical form in <paramref name="canonical"/>.</summary>
    public static bool TryParse(string? topic, [NotNullWhen(true)] out TrendQuery? query, [NotNullWhen(true)] out string? canonical)
    {
        query = null;
        canonical = null;
        var parts = topic?.Trim().Split(':');
        if (parts is not { Length: 4 or 5 } || !parts[0].Equals("trends", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!parts[1].EndsWith('s') || !EntityKinds.TryParse(parts[1], out var kind))
        {
            return false;
        }

        Platform? platform = null;
        if (!parts[2].Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (!Platforms.TryParse(parts[2], out var p))
            {
                return false;
            }

            platform = p;
        }

        if (!Periods.TryParse(parts[3], out var period))
        {
            return false;
        }

        var source = MarketSourceFilter.All;
        if (parts.Length == 5)
        {
            if (!MarketSourceFilters.TryParse(parts[4], out var parsed) || parts[4].Length == 0)
            {
                return false;
            }

            source = parsed.Value;
        }

        query = new TrendQuery(kind.Value, platform, period.Value, TickItems) { Source = source };
        canonical = Of(kind.Value, platform, period.Value, source);
        return true;
    }

    private static string Plural(EntityKind kind) => kind.ToWire() + "s";
}
