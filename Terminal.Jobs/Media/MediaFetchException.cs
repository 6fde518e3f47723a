namespace Terminal.Jobs.Media;

/// <summary>The short, generic reasons a source fails, shown to users (SPEC §4). Detail goes to the log only.</summary>
public static class MediaFailure
{
    public const string Unreachable = "unreachable";
    public const string NotAVideo = "not a video";
    public const string TooSlow = "too slow";
    public const string RefusedAddress = "refused address";
}

/// <summary>A fetch of the media pipeline failed; <see cref="Reason"/> is one of <see cref="MediaFailure"/>.</summary>
public sealed class MediaFetchException(string reason, string detail, Exception? inner = null) : Exception(detail, inner)
{
    public string Reason { get; } = reason;
}
