using System.Globalization;
using Terminal.Core.Clips;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>
/// The ffmpeg arguments of a cut — the same for the job pipeline and for the benchmark's bare
/// ffmpeg runs, so the overhead bar (SPEC §7) compares like with like.
/// </summary>
public static class ClipCommands
{
    /// <summary>
    /// <c>fast</c>: input seek (<c>-ss</c> before <c>-i</c>) and stream copy, so the clip starts at the
    /// keyframe at or before the start. <c>exact</c>: input seek with re-encode — ffmpeg decodes from
    /// the previous keyframe and drops every frame before the start, so the first frame is the first
    /// source frame at or after it — H.264/AAC with <c>+faststart</c>.
    /// </summary>
    public static IReadOnlyList<string> Cut(MediaInput input, ClipMode mode, double startSeconds, double durationSeconds, string output)
    {
        List<string> args = ["-v", "error", "-y", .. input.InputArguments(startSeconds),
            "-t", durationSeconds.ToString("0.000", CultureInfo.InvariantCulture),
            "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn", "-map_metadata", "-1"];
        if (mode == ClipMode.Fast)
        {
            args.AddRange(["-c", "copy", "-avoid_negative_ts", "make_zero"]);
        }
        else
        {
            args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k"]);
        }

        args.AddRange(["-movflags", "+faststart", "-f", "mp4", output]);
        return args;
    }
}
