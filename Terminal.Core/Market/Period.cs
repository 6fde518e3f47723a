using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Terminal.Core.Market;

/// <summary>The trend windows of SPEC §3: 1h, 24h, 7d and 30d.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Period>))]
public enum Period
{
    [JsonStringEnumMemberName("1h")] Hour = 1,
    [JsonStringEnumMemberName("24h")] Day = 2,
    [JsonStringEnumMemberName("7d")] Week = 3,
    [JsonStringEnumMemberName("30d")] Month = 4,
}

public static class Periods
{
    public static readonly IReadOnlyList<Period> All = [Period.Hour, Period.Day, Period.Week, Period.Month];

    public static TimeSpan Length(this Period period) => period switch
    {
        Period.Hour => TimeSpan.FromHours(1),
        Period.Day => TimeSpan.FromHours(24),
        Period.Week => TimeSpan.FromDays(7),
        Period.Month => TimeSpan.FromDays(30),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
    };

    public static string ToWire(this Period period) => WireNames.ToWire(period);

    public static bool TryParse(string? value, [NotNullWhen(true)] out Period? period) => WireNames.TryParse(value, out period);
}
