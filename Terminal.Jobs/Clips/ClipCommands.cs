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
    /// ffprobe of the packets (stream, pts, dts, keyframe flag) from the keyframe at or before
    /// <paramref name="fromSeconds"/> to <paramref name="toSeconds"/> (ffprobe's absolute timestamps), with the
    /// streams' coding parameters and the container's start time, as JSON. Nothing is decoded.
    /// </summary>
    public static IReadOnlyList<string> ProbeWindow(MediaInput input, double fromSeconds, double toSeconds) =>
    [
        "-v", "error", .. input.InputArguments(),
        "-read_intervals", string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, fromSeconds):0.000000}%{toSeconds:0.000000}"),
        "-show_entries", "packet=stream_index,pts,dts,flags:stream=index,id,codec_type,codec_name,profile,level,pix_fmt,width,height,time_base,field_order,"
            + "sample_aspect_ratio,color_range,color_space,color_transfer,color_primaries,bit_rate:format=start_time,format_name",
        "-of", "json",
    ];

    /// <summary>
    /// The re-encoded head of a smart cut as MPEG-TS (Annex B, parameter sets in band, so parts with
    /// different SPS/PPS join cleanly): <see cref="SmartCutPlan.HeadFrames"/> frames from the clip's first
    /// frame. Frame counts, not durations, bound each part, so B-frame reordering cannot add or drop a frame.
    /// Each part is its own process: one ffmpeg with several seeked inputs keeps demuxing every input until
    /// the last output ends, which made the parts of a 60 s cut ten times slower than the three runs alone.
    /// </summary>
    public static IReadOnlyList<string> SmartHead(MediaInput input, SmartCutPlan plan, string head) =>
        ["-v", "error", "-y", .. SeekInput(input, plan.First),
            "-map", "0:v:0", "-frames:v", plan.HeadFrames.ToString(CultureInfo.InvariantCulture), "-an", "-sn", "-dn", .. plan.Encoder.Arguments,
            "-fps_mode", "passthrough", .. DtsShift(plan.HeadDtsShift), "-f", "mpegts", head];

    /// <summary>The body of a smart cut: <see cref="SmartCutPlan.BodyPackets"/> packets stream-copied from the keyframe.</summary>
    public static IReadOnlyList<string> SmartBody(MediaInput input, SmartCutPlan plan, string body) =>
        ["-v", "error", "-y", .. SeekInput(input, plan.Keyframe),
            "-map", "0:v:0", "-frames:v", plan.BodyPackets.ToString(CultureInfo.InvariantCulture), "-an", "-sn", "-dn", "-c:v", "copy", "-f", "mpegts", body];

    /// <summary>The re-encoded tail of a smart cut: <see cref="SmartCutPlan.TailFrames"/> frames from the body's end.</summary>
    public static IReadOnlyList<string> SmartTail(MediaInput input, SmartCutPlan plan, string tail) =>
        ["-v", "error", "-y", .. SeekInput(input, plan.BodyEnd),
            "-map", "0:v:0", "-frames:v", plan.TailFrames.ToString(CultureInfo.InvariantCulture), "-an", "-sn", "-dn", .. plan.Encoder.Arguments,
            "-fps_mode", "passthrough", .. DtsShift(plan.TailDtsShift), "-f", "mpegts", tail];

    /// <summary>
    /// True when a smart cut's join can read the copied body straight from the source (<see cref="SmartEdges"/> +
    /// <see cref="SmartSourceConcatList"/>: two processes, no body file): H.264 (the concat demuxer turns each MP4
    /// file's packets into Annex B with its own parameter sets in band — it does that for H.264 only) in an MP4/MOV
    /// (its index seeks the <c>inpoint</c> to the keyframe), the video on track 1 like the re-encoded parts' (the list
    /// keeps that one stream by id: matched by index, the source's audio packets from before the <c>inpoint</c> would
    /// become a stream of the join's input and move its start) and a 1/n time base the re-encoded parts are written
    /// in (the concat demuxer does not rescale between files).
    /// </summary>
    public static bool CanJoinFromSource(KeyframeWindow window) =>
        window.Video is { Codec: "h264", TimeBaseNum: 1 } && window.VideoId == SmartPartTrackId &&
        window.FormatName?.Split(',').Contains("mp4", StringComparer.Ordinal) == true;

    /// <summary>
    /// The re-encoded head and tail of a smart cut in ONE ffmpeg: one seeked input per part (each bounded with an
    /// input <c>-t</c> a little past its frames, so neither is demuxed longer than its part needs), one MP4 output
    /// per part in the source's own time scale (so the concat demuxer can join them with the source's packets).
    /// Frame counts bound each output, so B-frame reordering cannot add or drop a frame. Null when the plan has
    /// neither part.
    /// </summary>
    public static IReadOnlyList<string>? SmartEdges(MediaInput input, SmartCutPlan plan, string head, string tail)
    {
        if (!plan.HasHead && !plan.HasTail)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var scale = plan.Encoder.TimeScale ?? 90_000;
        List<string> args = ["-v", "error", "-y"];
        void Input(double from, double seconds)
        {
            foreach (var argument in SeekInput(input, from))
            {
                if (argument == "-i")
                {
                    args.AddRange(["-t", (seconds + EdgeInputMarginSeconds).ToString("0.000000", inv)]);
                }

                args.Add(argument);
            }
        }

        void Output(int index, int frames, double dtsShift, string file) =>
            args.AddRange(["-map", $"{index}:v:0", "-frames:v", frames.ToString(inv), "-an", "-sn", "-dn", .. plan.Encoder.Arguments,
                "-fps_mode", "passthrough", .. DtsShift(dtsShift, scale), "-video_track_timescale", scale.ToString(inv), "-f", "mp4", file]);

        if (plan.HasHead)
        {
            Input(plan.First, plan.Keyframe - plan.First);
        }

        if (plan.HasTail)
        {
            Input(plan.BodyEnd, plan.End - plan.BodyEnd);
        }

        if (plan.HasHead)
        {
            Output(0, plan.HeadFrames, plan.HeadDtsShift, head);
        }

        if (plan.HasTail)
        {
            Output(plan.HasHead ? 1 : 0, plan.TailFrames, plan.TailDtsShift, tail);
        }

        return args;
    }

    /// <summary>The MP4 track id of a re-encoded part's video (ffmpeg numbers tracks from 1).</summary>
    private const int SmartPartTrackId = 1;

    /// <summary>What a smart cut's join opens: its concat list, and the parts and source it names.</summary>
    private const string JoinFormats = "concat,mov,mp4,m4a,3gp,3g2,mj2,mpegts";

    /// <summary>How far past its part each input of <see cref="SmartEdges"/> is read: room for B-frame reordering.</summary>
    private const double EdgeInputMarginSeconds = 1;

    /// <summary>
    /// The concat-demuxer list of a smart cut whose body is read straight from the source: the head, the source from
    /// the keyframe (<c>inpoint</c>, on the source's own timeline: <paramref name="sourceStart"/> + the plan's time) to
    /// the first packet after the body (<c>outpoint</c> compares decode times), the tail; each with its exact duration,
    /// so the parts follow each other with no gap or overlap.
    /// </summary>
    public static string SmartSourceConcatList(SmartCutPlan plan, string head, string source, double sourceStart, string tail)
    {
        var inv = CultureInfo.InvariantCulture;
        var list = new System.Text.StringBuilder(string.Create(inv, $"ffconcat version 1.0\nstream\nexact_stream_id {SmartPartTrackId}\n"));
        void Add(string path, double duration) =>
            list.Append(inv, $"file '{path.Replace("'", "'\\''", StringComparison.Ordinal)}'\nduration {duration:0.000000}\n");
        if (plan.HasHead)
        {
            Add(head, plan.Keyframe - plan.First);
        }

        Add(source, plan.BodyEnd - plan.Keyframe);
        list.Append(inv, $"inpoint {SmartCutPlan.Seek(sourceStart + plan.Keyframe):0.000000}\n");
        if (plan.BodyOut is { } bodyOut)
        {
            list.Append(inv, $"outpoint {SmartCutPlan.Seek(sourceStart + bodyOut):0.000000}\n");
        }

        if (plan.HasTail)
        {
            Add(tail, plan.End - plan.BodyEnd);
        }

        return list.ToString();
    }

    /// <summary>
    /// The audio of a smart cut: the source's first audio stream decoded from the clip's first frame and
    /// trimmed to its duration sample-accurately (output <c>-t</c> on decoded audio), re-encoded once to AAC
    /// in an MP4 (whose edit list carries the encoder's priming, so a stream copy into the clip keeps A/V in
    /// sync) with the fast coder (a quarter less CPU than the default twoloop at the source's rate). Continuous
    /// across the video joins: no gap, no click.
    /// </summary>
    public static IReadOnlyList<string> SmartAudio(MediaInput input, SmartCutPlan plan, SourceAudio audio, string output) =>
        ["-v", "error", "-y", .. SeekInput(input, plan.First),
            "-t", plan.Duration.ToString("0.000000", CultureInfo.InvariantCulture),
            "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1",
            "-c:a", "aac", "-aac_coder", "fast", "-b:a", AudioBitRate(audio).ToString(CultureInfo.InvariantCulture), "-f", "mp4", output];

    /// <summary>
    /// The AAC bit rate of a smart cut's audio: the source's own (32–192 kb/s), or 128 kb/s when the container
    /// states none. A higher rate than the source's adds nothing a listener hears and costs encoder time
    /// (ffmpeg's AAC encoder took 2.8 s for 60 s at 128 kb/s against 0.4 s at the source's 48 kb/s).
    /// </summary>
    public static int AudioBitRate(SourceAudio audio) =>
        audio.BitRate is { } rate and > 0 ? Math.Clamp(rate, 32_000, 192_000) : 128_000;

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
    private static IEnumerable<string> DtsShift(double seconds, long ticksPerSecond = 90_000)
    {
        var ticks = (long)Math.Round(seconds * ticksPerSecond);
        return ticks > 0 ? ["-bsf:v", string.Create(CultureInfo.InvariantCulture, $"setts=dts=DTS-{ticks}")] : [];
    }

    /// <summary>
    /// The <c>setts</c> filter that shortens the copied audio's last packet so the track ends at
    /// <paramref name="seconds"/> (an AAC packet is 1024 samples, 21–46 ms: ending on a packet boundary would
    /// leave the audio up to that much longer than the video). The MP4 muxer's edit list then ends there too.
    /// </summary>
    public static string AudioEndTrim(double seconds)
    {
        var end = seconds.ToString("0.000000", CultureInfo.InvariantCulture);
        return $"setts=duration=if(gt((PTS+DURATION)*TB\\,{end})\\,max(1\\,round({end}/TB-PTS))\\,DURATION)";
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
    /// True when a smart cut can take its audio by stream copy from the source (<see cref="SmartJoin"/> with
    /// <c>copyAudioFrom</c>) instead of re-encoding it: AAC in an MP4/MOV source, whose demuxer seeks audio
    /// packets sample-exactly enough for the MP4 edit list to trim the start, and whose audio time base the
    /// end trim (<see cref="AudioEndTrim"/>) is written in. Other sources (MPEG-TS/HLS, other codecs) keep the
    /// re-encode of <see cref="SmartAudio"/>.
    /// </summary>
    public static bool CanCopyAudio(KeyframeWindow window) =>
        window.Audio is { Codec: "aac" } && window.FormatName?.Split(',').Contains("mp4", StringComparer.Ordinal) == true;

    /// <summary>
    /// Joins the video parts listed in <paramref name="concatList"/> and the cut's audio without re-encoding
    /// anything, into an MP4 with <c>+faststart</c>. The audio is either <paramref name="audio"/> (the file
    /// <see cref="SmartAudio"/> wrote; null when the source has none) or, with <paramref name="copyAudioFrom"/>,
    /// the source's own AAC packets copied from the clip's first frame: ffmpeg's input seek starts the copy on a
    /// packet before it and the MP4 muxer writes an edit list that starts playback exactly at it (the packets
    /// before it prime the decoder, so no fade-in or click), and the last packet's duration is cut to end with
    /// the video (<see cref="AudioEndTrim"/>). One continuous stream across the video joins: no gap, no click,
    /// and no audio encode at all (it took ~0.35 s of a 60 s smart cut's ~0.5 s).
    /// </summary>
    /// <remarks>
    /// With <paramref name="encodeAudioFrom"/> the audio is decoded from that input in the join itself (seeked to the
    /// clip's first frame, input <c>-t</c> trimming the decoded samples to the duration) and encoded as
    /// <see cref="SmartAudio"/> would, so no separate audio process runs. The files the list names (and the files
    /// they in turn name) are opened as MP4/MOV or MPEG-TS only.
    /// </remarks>
    public static IReadOnlyList<string> SmartJoin(string concatList, string? audio, SmartCutPlan plan, string output, MediaInput? copyAudioFrom = null,
        (MediaInput Input, SourceAudio Audio)? encodeAudioFrom = null)
    {
        // A concat list read from a named pipe is a non-seekable input, which ffmpeg (5.1) reads on a non-blocking thread
        // that sleeps 10 ms whenever its queue (8 packets by default) is full: 0.3 s more for a 60 s clip. A queue
        // this deep never fills at stream-copy speed.
        List<string> args = ["-v", "error", "-y", "-f", "concat", "-safe", "0", "-protocol_whitelist", "file", "-format_whitelist", JoinFormats,
            "-thread_queue_size", "512", "-i", concatList];
        var seekAudio = copyAudioFrom ?? encodeAudioFrom?.Input;
        if (seekAudio is not null)
        {
            foreach (var argument in SeekInput(seekAudio, plan.First))
            {
                if (argument == "-i")
                {
                    args.AddRange(["-t", plan.Duration.ToString("0.000000", CultureInfo.InvariantCulture)]);
                }

                args.Add(argument);
            }
        }
        else if (audio is not null)
        {
            args.AddRange(["-i", audio]);
        }

        args.AddRange(["-map", "0:v:0"]);
        if (audio is not null || seekAudio is not null)
        {
            args.AddRange(["-map", "1:a:0"]);
        }

        args.AddRange(["-sn", "-dn", "-map_metadata", "-1", "-c", "copy"]);
        if (copyAudioFrom is null && encodeAudioFrom is { Audio: var encoded })
        {
            args.AddRange(["-c:a", "aac", "-aac_coder", "fast", "-b:a", AudioBitRate(encoded).ToString(CultureInfo.InvariantCulture)]);
        }

        if (copyAudioFrom is not null)
        {
            args.AddRange(["-bsf:a", AudioEndTrim(plan.Duration)]);
        }
        if (plan.Encoder.TimeScale is { } scale)
        {
            args.AddRange(["-video_track_timescale", scale.ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(["-movflags", "+faststart", "-f", "mp4", output]);
        return args;
    }
}
