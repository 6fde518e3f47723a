using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Terminal.Core.Common;

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

    /// <summary>The one error code for a platform the API does not know, whichever endpoint or parameter carries it.</summary>
    public const string InvalidCode = "invalid_platform";

    /// <summary>Parses a wire name in any case, or throws 400 <see cref="InvalidCode"/>.</summary>
    public static Platform Parse(string? value) =>
        TryParse(value, out var platform)
            ? platform.Value
            : throw TerminalException.BadRequest(InvalidCode, $"Unknown platform '{value}'. Use tiktok, instagram or youtube.");
}
