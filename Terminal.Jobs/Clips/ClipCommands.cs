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

    /// <summary>
    /// ffprobe of the video packets (pts, dts, keyframe flag) from the keyframe at or before
    /// <paramref name="fromSeconds"/> to <paramref name="toSeconds"/> (ffprobe's absolute timestamps), with the
    /// stream's coding parameters and the container's start time, as JSON. Nothing is decoded.
    /// </summary>
    public static IReadOnlyList<string> ProbeWindow(MediaInput input, double fromSeconds, double toSeconds) =>
    [
        "-v", "error", .. input.InputArguments(),
        "-read_intervals", string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, fromSeconds):0.000000}%{toSeconds:0.000000}"),
        "-select_streams", "v:0",
        "-show_entries", "packet=pts,dts,flags:stream=codec_name,profile,level,pix_fmt,width,height,time_base,field_order,sample_aspect_ratio,"
            + "color_range,color_space,color_transfer,color_primaries:format=start_time,format_name",
        "-of", "json",
    ];

    /// <summary>
    /// One ffmpeg run that writes the video parts of a smart cut as MPEG-TS (Annex B, parameter sets in
    /// band, so parts with different SPS/PPS join cleanly): the head re-encoded from its first frame, the
    /// body stream-copied packet for packet from the keyframe, the tail re-encoded from the body's end.
    /// Frame counts, not durations, bound each part, so B-frame reordering cannot add or drop a frame.
    /// </summary>
    public static IReadOnlyList<string> SmartParts(MediaInput input, SmartCutPlan plan, string head, string body, string tail)
    {
        var inv = CultureInfo.InvariantCulture;
        List<string> args = ["-v", "error", "-y"];
        if (plan.HasHead)
        {
            args.AddRange(SeekInput(input, plan.First));
        }

        args.AddRange(SeekInput(input, plan.Keyframe));
        if (plan.HasTail)
        {
            args.AddRange(SeekInput(input, plan.BodyEnd));
        }

        var index = 0;
        if (plan.HasHead)
        {
            args.AddRange(["-map", $"{index++}:v:0", "-frames:v", plan.HeadFrames.ToString(inv), "-an", "-sn", "-dn", .. plan.Encoder.Arguments, "-fps_mode", "passthrough", .. DtsShift(plan.HeadDtsShift), "-f", "mpegts", head]);
        }

        args.AddRange(["-map", $"{index++}:v:0", "-frames:v", plan.BodyPackets.ToString(inv), "-an", "-sn", "-dn", "-c:v", "copy", "-f", "mpegts", body]);
        if (plan.HasTail)
        {
            args.AddRange(["-map", $"{index}:v:0", "-frames:v", plan.TailFrames.ToString(inv), "-an", "-sn", "-dn", .. plan.Encoder.Arguments, "-fps_mode", "passthrough", .. DtsShift(plan.TailDtsShift), "-f", "mpegts", tail]);
        }

        return args;
    }

    /// <summary>
    /// The input options of <paramref name="input"/> with a microsecond-precise <c>-ss</c> before its <c>-i</c>
    /// (<see cref="MediaInput.InputArguments"/> writes milliseconds, too coarse to land on a given frame).
    /// </summary>
    private static IEnumerable<string> SeekInput(MediaInput input, double seconds)
    {
        foreach (var argument in input.InputArguments())
        {
            if (argument == "-i")
            {
                yield return "-ss";
                yield return SmartCutPlan.Seek(seconds).ToString("0.000000", CultureInfo.InvariantCulture);
            }

            yield return argument;
        }
    }

    /// <summary>
    /// Moves a re-encoded part's decode timestamps back by the source's decode delay (<c>setts</c>), so dts
    /// keep increasing across a join with B-frame source packets. REVIEW: in ffmpeg 5.1 an output bitstream
    /// filter sees the MPEG-TS muxer's 1/90000 time base while its <c>TB</c> constant says the encoder's, so the
    /// shift is written in 90 kHz ticks rather than as <c>x/TB</c>.
    /// </summary>
    private static IEnumerable<string> DtsShift(double seconds)
    {
        var ticks = (long)Math.Round(seconds * 90_000);
        return ticks > 0 ? ["-bsf:v", string.Create(CultureInfo.InvariantCulture, $"setts=dts=DTS-{ticks}")] : [];
    }

    /// <summary>
    /// The concat-demuxer list of a smart cut's parts, each with its exact duration (from the source's
    /// timestamps), so the parts follow each other with no gap or overlap.
    /// </summary>
    public static string SmartConcatList(SmartCutPlan plan, string head, string body, string tail)
    {
        var inv = CultureInfo.InvariantCulture;
        var list = new System.Text.StringBuilder("ffconcat version 1.0\n");
        void Add(string path, double duration) =>
            list.Append(inv, $"file '{path.Replace("'", "'\\''", StringComparison.Ordinal)}'\nduration {duration:0.000000}\n");
        if (plan.HasHead)
        {
            Add(head, plan.Keyframe - plan.First);
        }

        Add(body, plan.BodyEnd - plan.Keyframe);
        if (plan.HasTail)
        {
            Add(tail, plan.End - plan.BodyEnd);
        }

        return list.ToString();
    }

    /// <summary>
    /// Joins the parts listed in <paramref name="concatList"/> without re-encoding the video, and cuts the
    /// audio of the same range from the source sample-accurately (decoded from the clip's first frame,
    /// re-encoded to AAC, so it is continuous across the joins), into an MP4 with <c>+faststart</c>.
    /// </summary>
    public static IReadOnlyList<string> SmartJoin(string concatList, MediaInput input, SmartCutPlan plan, string output)
    {
        List<string> args = ["-v", "error", "-y", "-f", "concat", "-safe", "0", "-protocol_whitelist", "file", "-i", concatList,
            .. SeekInput(input, plan.First),
            "-t", plan.Duration.ToString("0.000000", CultureInfo.InvariantCulture),
            "-map", "0:v:0", "-map", "1:a:0?", "-sn", "-dn", "-map_metadata", "-1",
            "-c:v", "copy", "-c:a", "aac", "-b:a", "128k"];
        if (plan.Encoder.TimeScale is { } scale)
        {
            args.AddRange(["-video_track_timescale", scale.ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(["-movflags", "+faststart", "-f", "mp4", output]);
        return args;
    }
}
