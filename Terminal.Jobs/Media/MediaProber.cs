using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using FFMpegCore;
using FFMpegCore.Exceptions;
using Instances.Exceptions;
using Microsoft.Extensions.Options;

namespace Terminal.Jobs.Media;

/// <summary>What ffprobe says about a source.</summary>
public sealed record MediaInfo(double DurationSeconds, int Width, int Height, string VideoCodec, string? AudioCodec, double? FrameRate);

/// <summary>
/// The probe of a source through FFMpegCore's <c>FFProbe</c>; thumbnail strips and player previews through
/// <see cref="FfmpegRunner"/>.
/// </summary>
/// <remarks>
/// The probe is <c>FFProbe.AnalyseAsync</c> (FFMpegCore 6.0.0) with the input's read limits as its
/// <c>customArguments</c> — the protocol and format whitelists and <c>-rw_timeout</c>; FFProbe appends them after the
/// input, which ffprobe (unlike ffmpeg) honours: it opens its one input only once every option is parsed — and
/// <see cref="Timeout"/> as a linked <c>CancelAfter</c> (<c>FFOptions</c> has no time limit of its own). FFProbe starts
/// ffprobe itself through the Instances library, which kills it on that token and returns only once it has exited;
/// <see cref="FfmpegRunner.RunLibraryAsync{T}"/> wraps the call so the process also dies when the app stops and a
/// failing kill cannot crash a timer thread. The one process FFMpegCore starts outside that is its own
/// <c>ffprobe -version</c>, once per binary path, before the first probe. Encodes (strips, previews, posters, clips)
/// stay with <see cref="FfmpegRunner"/>.
/// </remarks>
public sealed class MediaProber(FfmpegRunner runner, IOptions<FfmpegOptions> ffmpeg)
{
    /// <summary>The largest player preview written (<c>-fs</c>); a longer source gets a truncated preview, never a full disk.</summary>
    public const long MaxPreviewBytes = 512L << 20;

    /// <summary>The largest thumbnail strip written (<c>-fs</c>): a few dozen 160×90 tiles are tens of kilobytes.</summary>
    public const long MaxStripBytes = 8L << 20;

    private readonly FFOptions _ffOptions = new() { BinaryFolder = ffmpeg.Value.BinaryFolder ?? string.Empty };

    /// <summary>How long a probe may take before it fails <see cref="MediaFailure.TooSlow"/> (its ffprobe is killed).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Duration, size, codecs and frame rate of <paramref name="input"/>. Fails with a <see cref="MediaException"/>
    /// whose message is a <see cref="MediaFailure"/> reason: <c>too slow</c> past <see cref="Timeout"/>, <c>not a
    /// video</c> when ffprobe refuses or cannot read it (a protocol or format off the whitelist included), or what
    /// the proxy saw of a remote source.
    /// </summary>
    public async Task<MediaInfo> ProbeAsync(MediaInput input, CancellationToken cancellationToken)
    {
        var limits = ReadLimits(input);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        IMediaAnalysis analysis;
        try
        {
            analysis = await runner.RunLibraryAsync(token => input.IsLocal
                ? FFProbe.AnalyseAsync(LocalPath(input), _ffOptions, limits, token)
                : FFProbe.AnalyseAsync(RemoteUrl(input), _ffOptions, limits, token), timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(input.Explain(MediaFailure.TooSlow), $"ffprobe did not finish within {Timeout.TotalSeconds:0.#} s.");
        }
        catch (FFProbeProcessException e)
        {
            // The cause is often on the line before the last ("Protocol 'file' not on whitelist…", then "<input>: Invalid argument").
            var lines = e.StandardError.Where(line => !string.IsNullOrWhiteSpace(line)).TakeLast(4).Select(line => line.Trim()).ToArray();
            throw new MediaException(input.Explain(MediaFailure.NotAVideo), $"ffprobe: {(lines.Length > 0 ? string.Join(" | ", lines) : $"exit code {e.ExitCode}")}");
        }
        catch (FileNotFoundException)
        {
            throw new MediaException(MediaFailure.NotAVideo, $"ffprobe: no file at {input.Url}");
        }
        catch (Exception e) when (IsUnreadableAnswer(e))
        {
            throw new MediaException(input.Explain(MediaFailure.NotAVideo), "ffprobe's answer could not be read.");
        }
        catch (Exception e) when (e is FFProbeException or InstanceException or Win32Exception)
        {
            throw new MediaException($"ffprobe could not start ({e.Message}); install ffmpeg or set Terminal:FFmpeg:BinaryFolder.");
        }

        return Map(analysis);
    }

    /// <summary>Reads ffprobe's <c>-print_format json -show_format -show_streams</c> output (through <c>FFProbe.FromJson</c>).</summary>
    public static MediaInfo Parse(string json)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = FFProbe.FromJson(json);
        }
        catch (Exception e) when (IsUnreadableAnswer(e))
        {
            throw new MediaException(MediaFailure.NotAVideo, "ffprobe's answer could not be read.");
        }

        return Map(analysis);
    }

    /// <summary>
    /// Our facts from FFMpegCore's analysis: the first video stream that is not cover art, the first audio stream,
    /// the container's duration (else the video stream's) — a source without one (a live stream) is not taken.
    /// </summary>
    private static MediaInfo Map(IMediaAnalysis analysis)
    {
        var video = analysis.VideoStreams.FirstOrDefault(stream => stream.Disposition?.GetValueOrDefault("attached_pic") != true)
            ?? throw new MediaException(MediaFailure.NotAVideo, "The source has no video stream.");
        if (video.Width is not > 0 || video.Height is not > 0)
        {
            throw new MediaException(MediaFailure.NotAVideo, "The source's video has no size.");
        }

        // FFMpegCore's TimeSpans are cut to whole milliseconds (and read only the -sexagesimal form), so the
        // container's duration is read from its raw string, as precise as ffprobe printed it.
        var duration = Seconds(analysis.Raw.Format?.Duration) ?? Positive(video.Duration.TotalSeconds);
        if (duration is not { } seconds)
        {
            throw new MediaException(MediaFailure.NotAVideo, "The source has no known duration (live streams are not taken).");
        }

        return new MediaInfo(seconds, video.Width.Value, video.Height.Value, video.CodecName ?? "unknown", analysis.AudioStreams.FirstOrDefault()?.CodecName,
            Positive(video.AverageFrameRate) ?? Positive(video.RealFrameRate));
    }

    /// <summary>The input's read limits as FFProbe's one <c>customArguments</c> string.</summary>
    private static string ReadLimits(MediaInput input)
    {
        var limits = input.ReadLimits().ToArray();
        if (limits.Any(value => value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\')))
        {
            throw new ArgumentException("A read limit of the input cannot travel in one argument string.", nameof(input));
        }

        return string.Join(' ', limits);
    }

    // FFProbe quotes the input into one argument string, so a quote in it (or a backslash before the closing quote)
    // would split it. Ours are the proxy's loopback URLs and paths we generated; anything else is refused, not escaped.
    private static string LocalPath(MediaInput input) =>
        input.Url.Contains('"', StringComparison.Ordinal) || input.Url.EndsWith('\\')
            ? throw new MediaException(MediaFailure.NotAVideo, $"ffprobe: {input.Url} is not a path it can be given.")
            : input.Url;

    private static Uri RemoteUrl(MediaInput input) =>
        Uri.TryCreate(input.Url, UriKind.Absolute, out var uri) && !uri.AbsoluteUri.Contains('"', StringComparison.Ordinal)
            ? uri
            : throw new MediaException(input.Explain(MediaFailure.NotAVideo), $"ffprobe: {input.Url} is not a URL it can be given.");

    private static bool IsUnreadableAnswer(Exception e) =>
        e is FormatNullException or JsonException or FormatException or OverflowException or ArgumentException or IndexOutOfRangeException;

    /// <summary>ffprobe's seconds, plain (<c>61.500000</c>) or <c>-sexagesimal</c> (<c>0:01:01.500000</c>); null for <c>N/A</c> or nothing.</summary>
    private static double? Seconds(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        double total = 0;
        foreach (var part in value.Split(':'))
        {
            if (!double.TryParse(part, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            total = total * 60 + number;
        }

        return Positive(total);
    }

    private static double? Positive(double value) => double.IsFinite(value) && value > 0 ? value : null;

    /// <summary>One JPEG sprite of <paramref name="tiles"/> thumbnails side by side, evenly spread over the source (keyframes only, so it is quick).</summary>
    public async Task MakeThumbnailStripAsync(MediaInput input, double durationSeconds, int tiles, string output, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var rate = (tiles / Math.Max(durationSeconds, 0.1)).ToString("0.######", inv);
        var temp = output + ".part.jpg";
        var result = await runner.RunAsync(new FfmpegCommand("ffmpeg",
            ["-v", "error", "-y", "-skip_frame", "nokey", .. input.InputArguments(), "-an", "-sn",
             "-vf", $"fps={rate},scale=160:90:force_original_aspect_ratio=decrease,pad=160:90:(ow-iw)/2:(oh-ih)/2,tile={tiles}x1",
             "-t", (Math.Max(durationSeconds, 0.1) + 1).ToString("0.###", inv), "-fs", MaxStripBytes.ToString(inv),
             "-frames:v", "1", "-q:v", "6", temp]), cancellationToken);
        if (!result.Succeeded || !File.Exists(temp))
        {
            File.Delete(temp);
            throw new MediaException(input.Explain(MediaFailure.NotAVideo), $"The thumbnail strip could not be made: {result.Reason}");
        }

        File.Move(temp, output, overwrite: true);
    }

    /// <summary>
    /// A single poster frame: the first tile of a thumbnail strip made by <see cref="MakeThumbnailStripAsync"/>
    /// (160×90 JPEG). Written to a temporary name and moved into place, so a reader never sees half a file.
    /// </summary>
    public async Task MakePosterAsync(string strip, string output, CancellationToken cancellationToken)
    {
        var temp = $"{output}.{Guid.NewGuid():N}.part.jpg";
        var result = await runner.RunAsync(new FfmpegCommand("ffmpeg",
            ["-v", "error", "-y", "-i", strip, "-vf", "crop=160:90:0:0", "-frames:v", "1", "-q:v", "4", temp]), cancellationToken);
        if (!result.Succeeded || !File.Exists(temp))
        {
            File.Delete(temp);
            throw new MediaException($"The poster could not be made: {result.Reason}");
        }

        File.Move(temp, output, overwrite: true);
    }

    /// <summary>A small H.264/AAC MP4 of a remote source (HLS or not) that any browser plays from our own origin.</summary>
    public async Task MakePreviewAsync(MediaInput input, int height, double durationSeconds, string output, CancellationToken cancellationToken)
    {
        var temp = output + ".part";
        var result = await runner.RunAsync(new FfmpegCommand("ffmpeg",
            ["-v", "error", "-y", .. input.InputArguments(), "-map", "0:v:0", "-map", "0:a:0?",
             "-vf", $"scale=-2:{height}", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-g", "50", "-pix_fmt", "yuv420p",
             "-c:a", "aac", "-b:a", "64k", "-t", durationSeconds.ToString("0.###", CultureInfo.InvariantCulture), "-fs", MaxPreviewBytes.ToString(CultureInfo.InvariantCulture),
             "-movflags", "+faststart", "-f", "mp4", temp],
            TimeSpan.FromSeconds(durationSeconds), _ => { }), cancellationToken);
        if (!result.Succeeded)
        {
            File.Delete(temp);
            throw new MediaException(input.Explain(MediaFailure.NotAVideo), $"The player preview could not be made: {result.Reason}");
        }

        File.Move(temp, output, overwrite: true);
    }
}
