using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Terminal.Core.Accounts;

/// <summary>Subscription plans (SPEC §4). Accepted in any case, written lowercase.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Plan>))]
public enum Plan
{
    [JsonStringEnumMemberName("free")] Free = 0,
    [JsonStringEnumMemberName("pro")] Pro = 1,
    [JsonStringEnumMemberName("enterprise")] Enterprise = 2,
}

public static class Plans
{
    public static readonly IReadOnlyList<Plan> All = [Plan.Free, Plan.Pro, Plan.Enterprise];

    public static string ToWire(this Plan plan) => WireNames.ToWire(plan);

    /// <summary>The plan's name in a sentence for people: Free, Pro, Enterprise (the wire name is lowercase).</summary>
    public static string DisplayName(this Plan plan) => plan switch
    {
        Plan.Pro => "Pro",
        Plan.Enterprise => "Enterprise",
        _ => "Free",
    };

    public static bool TryParse(string? value, [NotNullWhen(true)] out Plan? plan) => WireNames.TryParse(value, out plan);
}
