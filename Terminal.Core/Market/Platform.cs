using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Terminal.Core.Market;

/// <summary>The short-form platforms the terminal follows. Written lowercase on the wire (SPEC §4).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Platform>))]
public enum Platform
{
    [JsonStringEnumMemberName("tiktok")] TikTok = 1,
    [JsonStringEnumMemberName("instagram")] Instagram = 2,
    [JsonStringEnumMemberName("youtube")] YouTube = 3,
}

public static class Platforms
{
    public static readonly IReadOnlyList<Platform> All = [Platform.TikTok, Platform.Instagram, Platform.YouTube];

    /// <summary>The lowercase wire name: <c>tiktok</c>, <c>instagram</c>, <c>youtube</c>.</summary>
    public static string ToWire(this Platform platform) => WireNames.ToWire(platform);

    /// <summary>Parses a wire name in any case; only the three known names are accepted.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out Platform? platform) => WireNames.TryParse(value, out platform);
}
