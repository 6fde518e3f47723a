namespace Terminal.Jobs.Media;

/// <summary>
/// A source or an ffmpeg run failed. <see cref="Exception.Message"/> is what the user is shown (stored as
/// the VOD's or clip's error) — for sources one of the generic <see cref="MediaFailure"/> reasons —
/// and <see cref="Detail"/> what goes to the log.
/// </summary>
public sealed class MediaException(string message, string? detail = null) : Exception(message)
{
    public string Detail { get; } = detail ?? message;
}
