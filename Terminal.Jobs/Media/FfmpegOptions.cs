namespace Terminal.Jobs.Media;

/// <summary><c>Terminal:FFmpeg</c>.</summary>
public sealed class FfmpegOptions
{
    public const string Section = "Terminal:FFmpeg";

    /// <summary>Folder holding ffmpeg and ffprobe; empty means the PATH.</summary>
    public string? BinaryFolder { get; set; }

    /// <summary>Full path (or bare name, resolved on PATH) of an ffmpeg tool.</summary>
    public string Tool(string name) =>
        string.IsNullOrWhiteSpace(BinaryFolder) ? name : Path.Combine(BinaryFolder, name);
}
