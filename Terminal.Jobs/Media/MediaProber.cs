using System.Globalization;
using System.Text.Json;

namespace Terminal.Jobs.Media;

/// <summary>What ffprobe says about a source.</summary>
public sealed record MediaInfo(double DurationSeconds, int Width, int Height, string VideoCodec, string? AudioCodec, double? FrameRate);

/// <summary>ffprobe, thumbnail strips and player previews, all through <see cref="FfmpegRunner"/>.</summary>
/// <remarks>
/// Why not FFMpegCore's <c>FFProbe</c> (issue #10 asked for it; checked against the referenced FFMpegCore 6.0.0):
/// <c>FFProbe.AnalyseAsync(string|Uri, FFOptions?, CancellationToken, string? customArguments)</c> CAN pass the
/// protocol/format whitelists and <c>-rw_timeout</c> (<c>customArguments</c> go before the input) and its token kills
/// the process, so a time limit is a linked <c>CancelAfter</c> (<c>FFOptions</c> has no timeout of its own). What is
/// missing is a way to keep <see cref="FfmpegRunner"/> the one owner of ffmpeg processes: <c>FFProbe</c> always
/// starts ffprobe itself through the Instances library (no overload takes a process runner), and the only way to
/// get an <c>IMediaAnalysis</c> from JSON we produced is <c>MediaAnalysis(FFProbeAnalysis, …)</c>, whose class and
/// constructor are <c>internal</c>. A probe started by <c>FFProbe</c> would be invisible to the runner (no
/// <c>RunningProcessIds</c>, not killed when the app stops, no stderr tail for the failure reason). So the probe
/// stays ours; the JSON it reads is the one <c>FFProbe</c> reads (<c>-print_format json -show_format -show_streams</c>).
/// </remarks>
public sealed class MediaProber(FfmpegRunner runner)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The largest player preview written (<c>-fs</c>); a longer source gets a truncated preview, never a full disk.</summary>
    public const long MaxPreviewBytes = 512L << 20;

    /// <summary>The largest thumbnail strip written (<c>-fs</c>): a few dozen 160×90 tiles are tens of kilobytes.</summary>
    public const long MaxStripBytes = 8L << 20;

    public async Task<MediaInfo> ProbeAsync(MediaInput input, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        FfmpegResult result;
        try
        {
            result = await runner.RunAsync(new FfmpegCommand("ffprobe",
                ["-v", "error", .. input.InputArguments(), "-print_format", "json", "-show_format", "-show_streams"]), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(input.Explain(MediaFailure.TooSlow), "ffprobe did not finish within a minute.");
        }

        if (!result.Succeeded)
        {
            throw new MediaException(input.Explain(MediaFailure.NotAVideo), $"ffprobe: {result.Reason}");
        }

        return Parse(result.StdOut);
    }

    /// <summary>Reads ffprobe's <c>-print_format json -show_format -show_streams</c> output.</summary>
    public static MediaInfo Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            JsonElement? video = null;
            string? audioCodec = null;
            if (root.TryGetProperty("streams", out var streams))
            {
                foreach (var stream in streams.EnumerateArray())
                {
                    var type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
                    if (type == "video" && video is null && !IsAttachedPicture(stream))
                    {
                        video = stream;
                    }
                    else if (type == "audio" && audioCodec is null)
                    {
                        audioCodec = stream.TryGetProperty("codec_name", out var c) ? c.GetString() : null;
                    }
                }
            }

            if (video is not { } v)
            {
                throw new MediaException(MediaFailure.NotAVideo, "The source has no video stream.");
            }

            var duration = ReadDouble(root.TryGetProperty("format", out var format) ? format : default, "duration")
                ?? ReadDouble(v, "duration");
            if (duration is not > 0)
            {
                throw new MediaException(MediaFailure.NotAVideo, "The source has no known duration (live streams are not taken).");
            }

            return new MediaInfo(duration.Value, v.GetProperty("width").GetInt32(), v.GetProperty("height").GetInt32(),
                v.TryGetProperty("codec_name", out var codec) ? codec.GetString() ?? "unknown" : "unknown", audioCodec,
                ParseRate(v.TryGetProperty("avg_frame_rate", out var avg) ? avg.GetString() : null)
                    ?? ParseRate(v.TryGetProperty("r_frame_rate", out var r) ? r.GetString() : null));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MediaException(MediaFailure.NotAVideo, "ffprobe's answer could not be read.");
        }
    }

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

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.ValueKind == JsonValueKind.Number && a.GetInt32() == 1;

    private static double? ReadDouble(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String &&
        double.TryParse(p.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;

    private static double? ParseRate(string? rate)
    {
        if (rate is null)
        {
            return null;
        }

        var parts = rate.Split('/');
        return parts.Length == 2 &&
               double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) &&
               double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && n > 0
            ? n / d
            : null;
    }
}
