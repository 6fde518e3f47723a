using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Terminal.Core.Market;

/// <summary>The kinds of market entity that carry metric snapshots and rank in trend panels.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EntityKind>))]
public enum EntityKind
{
    [JsonStringEnumMemberName("creator")] Creator = 1,
    [JsonStringEnumMemberName("clip")] Clip = 2,
    [JsonStringEnumMemberName("topic")] Topic = 3,
}

public static class EntityKinds
{
    public static readonly IReadOnlyList<EntityKind> All = [EntityKind.Creator, EntityKind.Clip, EntityKind.Topic];

    public static string ToWire(this EntityKind kind) => WireNames.ToWire(kind);

    /// <summary>Parses <c>creator</c>/<c>clip</c>/<c>topic</c>, and the plural forms the trends API uses.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out EntityKind? kind)
    {
        var trimmed = value?.Trim();
        return WireNames.TryParse(trimmed, out kind)
            || (trimmed is { Length: > 1 } plural && plural.EndsWith('s') && WireNames.TryParse(plural[..^1], out kind));
    }
}
