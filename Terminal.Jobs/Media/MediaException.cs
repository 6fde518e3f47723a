namespace Terminal.Jobs.Media;

/// <summary>A source or an ffmpeg run failed for a reason worth showing to the user (stored as the VOD's or clip's error).</summary>
public sealed class MediaException(string message) : Exception(message);
