using System.Xml;
using Terminal.Core.Insights;

namespace Terminal.Core.LinkedAccounts;

/// <summary>
/// Format and duration of a linked-account post from the fields the platforms report (SPEC §10 post
/// features): YouTube <c>contentDetails.duration</c> (ISO-8601), <c>snippet.liveBroadcastContent</c>
/// and <c>liveStreamingDetails</c>; Instagram <c>media_product_type</c>; TikTok <c>duration</c> (seconds).
/// </summary>
public static class PostFormats
{
    /// <summary>YouTube Shorts are at most 3 minutes; the Data API has no "is a Short" flag, so length decides.</summary>
    public const double YouTubeShortMaxSeconds = 180;

    /// <summary>Seconds of an ISO-8601 duration (<c>PT1M5S</c>, <c>PT2H</c>, <c>P1DT3M</c>, <c>P0D</c>); null when absent or unreadable.</summary>
    public static double? IsoDurationSeconds(string? iso)
    {
        if (string.IsNullOrWhiteSpace(iso))
        {
            return null;
        }

        try
        {
            return XmlConvert.ToTimeSpan(iso).TotalSeconds;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// A YouTube video: live when it is or was a broadcast (<c>liveBroadcastContent</c> live/upcoming, or
    /// <c>liveStreamingDetails</c> present), short up to <see cref="YouTubeShortMaxSeconds"/>, long above;
    /// null when neither the broadcast state nor the length is known.
    /// </summary>
    public static PostFormat? YouTube(string? liveBroadcastContent, bool hasLiveStreamingDetails, double? durationSeconds)
    {
        if (hasLiveStreamingDetails || liveBroadcastContent is "live" or "upcoming")
        {
            return PostFormat.Live;
        }

        return durationSeconds switch
        {
            null or 0 => null,
            <= YouTubeShortMaxSeconds => PostFormat.ShortForm,
            _ => PostFormat.LongForm,
        };
    }

    /// <summary>Instagram <c>media_product_type</c>: REELS and STORY are short form, FEED posts long form; AD or absent unknown.</summary>
    public static PostFormat? Instagram(string? mediaProductType) => mediaProductType?.ToUpperInvariant() switch
    {
        "REELS" or "STORY" => PostFormat.ShortForm,
        "FEED" => PostFormat.LongForm,
        _ => null,
    };
}
