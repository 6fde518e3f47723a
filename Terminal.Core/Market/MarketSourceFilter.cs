using System.Diagnostics.CodeAnalysis;

namespace Terminal.Core.Market;

/// <summary>
/// Which market a ranking is built from (SPEC §9): <c>all</c>, <c>live</c> (real platform data only) or
/// <c>demo</c> (the simulation only). Percentiles, heat and ranks are computed within the chosen set.
/// </summary>
public enum MarketSourceFilter
{
    All = 0,
    Live = 1,
    Demo = 2,
}

public static class MarketSourceFilters
{
    /// <summary>True when an entity (demo or not) belongs in a ranking of this source.</summary>
    public static bool Admits(this MarketSourceFilter source, bool isDemo) => source switch
    {
        MarketSourceFilter.Live => !isDemo,
        MarketSourceFilter.Demo => isDemo,
        _ => true,
    };

    public static string ToWire(this MarketSourceFilter source) => source switch
    {
        MarketSourceFilter.Live => "live",
        MarketSourceFilter.Demo => "demo",
        _ => "all",
    };

    /// <summary>Parses <c>all</c>, <c>live</c> or <c>demo</c> in any case; null or blank means <c>all</c>.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out MarketSourceFilter? source)
    {
        source = (value?.Trim().ToLowerInvariant() ?? "all") switch
        {
            "" or "all" => MarketSourceFilter.All,
            "live" => MarketSourceFilter.Live,
            "demo" => MarketSourceFilter.Demo,
            _ => null,
        };
        return source is not null;
    }
}
