using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Terminal.Jobs.Media;

/// <summary>What a generated test/demo video looks like.</summary>
/// <param name="Pattern">An ffmpeg lavfi video source, e.g. <c>smptehdbars</c> or <c>testsrc2</c> (moving, every frame differs).</param>
public sealed record DemoMediaSpec(double DurationSeconds, int Width = DemoMediaSpec.DefaultWidth, int Height = DemoMediaSpec.DefaultHeight, int FrameRate = 25, string Pattern = "smptehdbars", int GopFrames = 50)
{
    /// <summary>The size of every generated demo VOD: the demo market registers its VODs with it, so their
    /// metadata is the same before and after the file is generated and probed (issue #16 bug 9).</summary>
    public const int DefaultWidth = 480;

    /// <inheritdoc cref="DefaultWidth"/>
    public const int DefaultHeight = 270;

    public const string FontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf";

    /// <summary>ffmpeg arguments that write the video to <paramref name="output"/>: the pattern with the timecode
    /// and frame number burned in, a sine tone, H.264 ultrafast with a short GOP, AAC, +faststart.</summary>
    public IReadOnlyList<string> Arguments(string output, string label = "DEMO")
    {
        var inv = CultureInfo.InvariantCulture;
        var size = Math.Max(12, Height / 12);
        var text = File.Exists(FontFile)
            ? $"drawtext=fontfile={FontFile}:text='{label} %{{pts\\:hms}} f%{{frame_num}}':x=8:y=8:fontsize={size}:fontcolor=white:box=1:boxcolor=black@0.6"
            : "null";
        return
        [
            "-v", "error", "-y",
            "-f", "lavfi", "-i", string.Create(inv, $"{Pattern}=size={Width}x{Height}:rate={FrameRate}"),
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050",
            "-t", DurationSeconds.ToString("0.###", inv),
            "-vf", text,
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", "-g", GopFrames.ToString(inv), "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "48k", "-ac", "1",
            "-movflags", "+faststart", "-f", "mp4", output,
        ];
    }
}

/// <summary>
/// The demo market's VODs are real files made here with ffmpeg on first use (SPEC §6): burned-in
/// timecode, cached under <c>media/demo</c>, written to a temp name and renamed, one generation per
/// VOD at a time.
/// </summary>
public sealed class DemoMediaGenerator(FfmpegRunner runner, MediaPaths paths, IOptions<MediaOptions> options, ILogger<DemoMediaGenerator> logger, VodPreparationProgress progress)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public string PathFor(Guid vodId) => Path.Combine(paths.DemoFolder, $"{vodId:N}.mp4");

    /// <summary>Where a VOD's poster lives (the path the poster endpoint serves, beside the thumbnail strip).</summary>
    public string PosterPathFor(Guid vodId) => Path.Combine(paths.ThumbnailFolder, $"{vodId:N}.poster.jpg");

    /// <summary>
    /// A 160×90 poster of a demo VOD without generating its video: the first frame of the same pattern,
    /// labelled DEMO, written to a temp name and renamed.
    /// </summary>
    public async Task MakePosterAsync(Guid vodId, CancellationToken cancellationToken)
    {
        var output = PosterPathFor(vodId);
        var temp = $"{output}.{Guid.NewGuid():N}.part.jpg";
        var label = File.Exists(DemoMediaSpec.FontFile)
            ? $"drawtext=fontfile={DemoMediaSpec.FontFile}:text='DEMO':x=4:y=4:fontsize=12:fontcolor=white:box=1:boxcolor=black@0.6"
            : "null";
        var result = await runner.RunAsync(new FfmpegCommand("ffmpeg",
            ["-v", "error", "-y", "-f", "lavfi", "-i", $"{options.Value.DemoPattern}=size=160x90:rate=25", "-vf", label, "-frames:v", "1", "-q:v", "4", temp]),
            cancellationToken);
        if (!result.Succeeded || !File.Exists(temp))
        {
            File.Delete(temp);
            throw new MediaException("The demo poster could not be made.", result.Reason);
        }

        File.Move(temp, output, overwrite: true);
    }

    /// <summary>True while the demo file of <paramref name="vodId"/> is being generated.</summary>
    public bool IsGenerating(Guid vodId) => _locks.TryGetValue(vodId, out var gate) && gate.CurrentCount == 0;

    /// <summary>Marks a demo file used now (its last-access time orders <see cref="DemoMediaCache"/>'s evictions).</summary>
    public static void Touch(string path)
    {
        try
        {
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
        }
        catch (IOException)
        {
            // Evicted meanwhile: it is made again on its next use.
        }
    }

    /// <summary>The demo file of <paramref name="vodId"/>, generated now if missing.</summary>
    public async Task<string> EnsureAsync(Guid vodId, double? durationSeconds, CancellationToken cancellationToken)
    {
        var path = PathFor(vodId);
        if (File.Exists(path))
        {
            Touch(path);
            return path;
        }

        var gate = _locks.GetOrAdd(vodId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(path))
            {
                return path;
            }

            var duration = Math.Clamp(durationSeconds ?? 600, 1, options.Value.MaxDemoSeconds);
            var temp = path + ".part";
            // ffmpeg's own progress (out_time over the duration) is the generation's share of the preparation.
            var result = await runner.RunAsync(
                new FfmpegCommand("ffmpeg", new DemoMediaSpec(duration, Pattern: options.Value.DemoPattern).Arguments(temp), TimeSpan.FromSeconds(duration),
                    f => progress.Report(vodId, "generating the demo video", f * VodPreparationProgress.GenerationShare)),
                cancellationToken);
            if (!result.Succeeded)
            {
                File.Delete(temp);
                throw new MediaException($"Generating the demo video failed: {result.Reason}");
            }

            File.Move(temp, path, overwrite: true);
            logger.LogInformation("Generated demo VOD {VodId} ({Duration} s) in {Elapsed}", vodId, duration, result.Elapsed);
            return path;
        }
        finally
        {
            gate.Release();
        }
    }
}
