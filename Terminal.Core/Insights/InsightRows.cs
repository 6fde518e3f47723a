using Terminal.Core.Market;

namespace Terminal.Core.Insights;

/// <summary>
/// Builds <see cref="InsightRow"/>s from what is stored: a market clip (its duration is its source
/// range inside the VOD; unknown when it was not cut from a known VOD; clips are short form; demo and
/// monitored creators have no known time zone, so UTC) with its views at the fixed age read from its
/// stored readings by interpolation (<see cref="InsightMath.ViewsAtAge"/>).
/// </summary>
public static class InsightRows
{
    /// <summary>The entity id of a market clip in rows and outliers.</summary>
    public static string ClipEntity(int clipId) => "clip:" + clipId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The entity id of a linked-account post in rows and outliers.</summary>
    public static string PostEntity(long postId) => "post:" + postId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Duration of a clip: its source range, or null when unknown.</summary>
    public static double? ClipDuration(MarketClip clip) =>
        clip.SourceStartSeconds is { } from && clip.SourceEndSeconds is { } to && to >= from ? to - from : null;

    /// <summary>
    /// Where a market clip opens: its source VOD in CLIP with the clip's range marked
    /// (<c>/clip/{vod}?in=12.5&amp;out=40</c>), the VOD alone when the range is unknown, null when the
    /// clip was not cut from a known VOD (the caller then opens the creator).
    /// </summary>
    public static string? ClipHref(MarketClip clip)
    {
        if (clip.VodId is not { } vod)
        {
            return null;
        }

        var path = "/clip/" + vod.ToString("D");
        return ClipDuration(clip) is not null
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}?in={clip.SourceStartSeconds!.Value:0.###}&out={clip.SourceEndSeconds!.Value:0.###}")
            : path;
    }

    public static PostFeatures ClipFeatures(MarketClip clip) =>
        PostFeatures.Compute(clip.Title, clip.Platform, clip.PublishedAt, ClipDuration(clip), PostFormat.ShortForm);

    /// <summary>
    /// Format of a linked-account post whose platform did not say (stored before formats were read, or
    /// an Instagram AD): the platform's usual format (TikTok and Instagram short, YouTube long).
    /// </summary>
    public static PostFormat DefaultFormat(Platform platform) => platform == Platform.YouTube ? PostFormat.LongForm : PostFormat.ShortForm;

    /// <summary>The row of a clip, or null when its readings do not reach the age yet.</summary>
    public static InsightRow? ForClip(MarketClip clip, IReadOnlyList<(DateTime At, long Views)> readings, TimeSpan age)
    {
        var views = InsightMath.ViewsAtAge(readings, clip.PublishedAt, age);
        return views is { } v ? new InsightRow(ClipEntity(clip.Id), clip.CreatorId, ClipFeatures(clip), v) : null;
    }
}
