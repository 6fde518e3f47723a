using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Terminal.Core.Market;

/// <summary>
/// Which market a ranking is built from (SPEC §9): <c>all</c>, <c>live</c> (real platform data only) or
/// <c>demo</c> (the simulation only). Percentiles, heat and ranks are computed within the chosen set.
/// </summary>
public enum MarketSourceFilter
{
    [JsonStringEnumMemberName("all")] All = 0,
    [JsonStringEnumMemberName("live")] Live = 1,
    [JsonStringEnumMemberName("demo")] Demo = 2,
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

    public static string ToWire(this MarketSourceFilter source) => WireNames.ToWire(source);

    /// <summary>Parses <c>all</c>, <c>live</c> or <c>demo</c> in any case; null or blank means <c>all</c>.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out MarketSourceFilter? source)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            source = MarketSourceFilter.All;
            return true;
        }

        return WireNames.TryParse(value, out source);
    }
}
