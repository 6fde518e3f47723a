using System.Globalization;

namespace Terminal.Jobs.Clips;

/// <summary>
/// A smart cut of <c>[start, end)</c>, all times in seconds relative to the source's start (as ffmpeg's
/// <c>-ss</c>): the head <c>[First, Keyframe)</c> is re-encoded, the body <c>[Keyframe, BodyEnd)</c> is
/// stream-copied packet for packet, the tail <c>[BodyEnd, End)</c> is re-encoded (empty when the copy
/// reaches the end), and the three are joined without re-encoding.
/// </summary>
/// <param name="First">Time of the first source frame at or after the requested start: the clip's first frame.</param>
/// <param name="Keyframe">The first keyframe at or after <paramref name="First"/>, where copying starts.</param>
/// <param name="BodyEnd">Where copying stops: <paramref name="End"/>, or the last keyframe before it when the tail must be re-encoded.</param>
/// <param name="End">The requested end (exclusive).</param>
/// <param name="HeadFrames">Frames re-encoded before the keyframe (0 when the start is on a keyframe).</param>
/// <param name="BodyPackets">Packets copied from the keyframe on (decode order).</param>
/// <param name="TailFrames">Frames re-encoded after <paramref name="BodyEnd"/> (0 when none).</param>
/// <param name="HeadDtsShift">The source's decode delay (pts − dts) at the keyframe: the re-encoded head (no B-frames, so
/// dts = pts) has its dts moved back by it, so decode timestamps keep increasing into the copied body.</param>
/// <param name="TailDtsShift">The same at the keyframe where the tail starts.</param>
/// <param name="BodyOut">Decode time (dts, on the same timeline as the other times) of the first source packet after the
/// body, where a copy read straight from the source stops (the concat demuxer's <c>outpoint</c> compares dts); null when
/// the body runs to the end of the source.</param>
public sealed record SmartCutPlan(
    double First, double Keyframe, double BodyEnd, double End, int HeadFrames, int BodyPackets, int TailFrames, VideoEncoder Encoder,
    double HeadDtsShift = 0, double TailDtsShift = 0, double? BodyOut = null)
{
    public bool HasHead => HeadFrames > 0;

    /// <summary>The same plan on a timeline moved by <paramref name="seconds"/> (a local copy of part of the source).</summary>
    public SmartCutPlan Shifted(double seconds) =>
        this with { First = First + seconds, Keyframe = Keyframe + seconds, BodyEnd = BodyEnd + seconds, End = End + seconds, BodyOut = BodyOut + seconds };

    public bool HasTail => TailFrames > 0;

    /// <summary>Length of the clip: from its first frame to the requested end.</summary>
    public double Duration => End - First;

    /// <summary>
    /// The <c>-ss</c> that starts a part on the frame at <paramref name="time"/>, written to the microsecond
    /// (ffmpeg's own resolution) and rounded down: a decoded part must not seek past its first frame, a
    /// copied part must land on its keyframe — an MP4 seek picks the keyframe at or before the point (the
    /// container tick rounds to it), an HLS seek keeps the first keyframe at or after it — so the seek point
    /// is the frame's time within a microsecond below it.
    /// </summary>
    public static double Seek(double time) => Math.Floor(time * 1_000_000 + 1e-3) / 1_000_000;
}

/// <summary>The encoder and its options that make a part decodable in line with the copied source packets.</summary>
/// <param name="Arguments">Output options: codec, profile, level, pixel format, colour and aspect flags.</param>
/// <param name="TimeScale">The source's time base denominator, for the MP4 track (null when the base is not 1/n).</param>
public sealed record VideoEncoder(IReadOnlyList<string> Arguments, long? TimeScale);

/// <summary>Whether a source can be smart-cut, and the plan, or why not.</summary>
public sealed record SmartCutDecision(SmartCutPlan? Plan, string Reason)
{
    public static SmartCutDecision No(string reason) => new(null, reason);
}

/// <summary>
/// Decides per source and range whether smart cut is safe, from the packets <see cref="KeyframeProbe"/>
/// read. Pure, so every rule is unit-tested on hand-made packet lists. Safe means: H.264 (libx264) or
/// H.265 (libx265) in a profile and 8-bit 4:2:0 pixel format the encoder can reproduce, progressive,
/// every packet timestamped, and each copied run self-contained — the packets copied (decode order)
/// are exactly the frames of the copied time range (closed GOPs; an open GOP's leading B-frames fail it).
/// </summary>
public static class SmartCutPlanner
{
    private const double Epsilon = 1e-6;

    public static SmartCutDecision Plan(KeyframeWindow window, double startSeconds, double endSeconds, bool hevcEncoderAvailable = true)
    {
        var encoder = EncoderFor(window.Video, hevcEncoderAvailable, out var unsupported);
        if (encoder is null)
        {
            return SmartCutDecision.No(unsupported);
        }

        // ffmpeg 5.1's HLS demuxer starts a stream copy at the start of the segment holding the seek point, not at
        // the keyframe asked for, so the copied body would begin early: never plan a copy straight from it.
        // ClipCutter fetches an HLS source's segments into a local MPEG-TS and plans on that instead.
        if (window.FormatName?.Contains("hls", StringComparison.Ordinal) == true)
        {
            return SmartCutDecision.No("HLS source: ffmpeg copies from segment starts only");
        }

        if (window.Packets.Count == 0 || window.Packets.Any(p => p.Pts == long.MinValue))
        {
            return SmartCutDecision.No("packets without timestamps");
        }

        var video = window.Video;
        double At(VideoPacket p) => video.Seconds(p.Pts) - window.StartTime;
        double? DtsAt(int index) => index < window.Packets.Count ? video.Seconds(window.Packets[index].Dts) - window.StartTime : null;

        // Same millisecond rounding as the -ss ffmpeg is given, so "first frame at or after the start" agrees.
        var start = Math.Round(startSeconds, 3);
        var times = window.Packets.Select(At).Order().ToArray();
        var firstIndex = Array.FindIndex(times, t => t >= start - Epsilon);
        if (firstIndex < 0 || times[firstIndex] >= endSeconds - Epsilon)
        {
            return SmartCutDecision.No("no frame in the range");
        }

        var first = times[firstIndex];
        int FramesIn(double from, double to) => times.Count(t => t >= from - Epsilon && t < to - Epsilon);

        var keyIndex = IndexOf(window.Packets, p => p.Key && At(p) >= first - Epsilon && At(p) < endSeconds - Epsilon);
        if (keyIndex < 0)
        {
            return SmartCutDecision.No("no keyframe inside the range");
        }

        var keyframe = At(window.Packets[keyIndex]);
        var headShift = Math.Max(0, video.Seconds(window.Packets[keyIndex].Pts - window.Packets[keyIndex].Dts));

        // Best case: the packets from the keyframe on are exactly the frames up to the end (no reordering at the end).
        var toEnd = FramesIn(keyframe, endSeconds);
        if (IsSelfContained(window.Packets, keyIndex, toEnd, keyframe, endSeconds, At))
        {
            return new SmartCutDecision(
                new SmartCutPlan(first, keyframe, endSeconds, endSeconds, FramesIn(first, keyframe), toEnd, 0, encoder, headShift, BodyOut: DtsAt(keyIndex + toEnd)), "smart");
        }

        // Otherwise copy whole GOPs up to the last keyframe before the end and re-encode the rest.
        var lastKeyIndex = LastIndexOf(window.Packets, p => p.Key && At(p) > keyframe + Epsilon && At(p) < endSeconds - Epsilon);
        if (lastKeyIndex < 0)
        {
            return SmartCutDecision.No("less than one whole GOP to copy");
        }

        var bodyEnd = At(window.Packets[lastKeyIndex]);
        var body = FramesIn(keyframe, bodyEnd);
        if (body != lastKeyIndex - keyIndex || !IsSelfContained(window.Packets, keyIndex, body, keyframe, bodyEnd, At))
        {
            return SmartCutDecision.No("GOPs are not closed (frames reference across keyframes)");
        }

        return new SmartCutDecision(
            new SmartCutPlan(first, keyframe, bodyEnd, endSeconds, FramesIn(first, keyframe), body, FramesIn(bodyEnd, endSeconds), encoder,
                headShift, Math.Max(0, video.Seconds(window.Packets[lastKeyIndex].Pts - window.Packets[lastKeyIndex].Dts)), DtsAt(lastKeyIndex)), "smart");
    }

    /// <summary>
    /// The encoder matching <paramref name="video"/>'s SPS-relevant parameters, or null with the reason it
    /// cannot be matched (the clip then falls back to a full re-encode).
    /// </summary>
    public static VideoEncoder? EncoderFor(SourceVideo video, bool hevcEncoderAvailable, out string reason)
    {
        reason = "";
        if (video.Width <= 0 || video.Height <= 0)
        {
            reason = "unknown frame size";
            return null;
        }

        if (video.FieldOrder is { } order && order is not ("progressive" or "unknown"))
        {
            reason = $"interlaced video ({order})";
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        List<string> args;
        switch (video.Codec)
        {
            case "h264":
                var profile = video.Profile switch
                {
                    "Baseline" or "Constrained Baseline" => "baseline",
                    "Main" => "main",
                    "High" => "high",
                    _ => null,
                };
                if (profile is null || video.PixelFormat is not ("yuv420p" or "yuvj420p"))
                {
                    reason = $"H.264 {video.Profile} {video.PixelFormat} cannot be matched by libx264";
                    return null;
                }

                // No B-frames in the re-encoded parts: their dts equal their pts, so one fixed shift lines them up with the copy.
                // ultrafast: a part is at most a GOP, so the encoder's start-up is most of its time (0.10 s user for a 2 s
                // head and tail at 480x270 against veryfast's 0.13 s); at CRF 18 the frames still match the source.
                args = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-bf", "0", "-profile:v", profile, "-pix_fmt", video.PixelFormat];
                if (video.Level is > 0 and var level)
                {
                    args.AddRange(["-level:v", (level / 10.0).ToString("0.0", inv)]);
                }

                break;
            case "hevc":
                if (!hevcEncoderAvailable || video.Profile != "Main" || video.PixelFormat != "yuv420p")
                {
                    reason = hevcEncoderAvailable ? $"H.265 {video.Profile} {video.PixelFormat} cannot be matched by libx265" : "no libx265 in this ffmpeg";
                    return null;
                }

                var x265 = "log-level=error:bframes=0";
                if (video.Level is > 0 and var hevcLevel)
                {
                    // ffprobe reports HEVC general_level_idc = 30 × level.
                    x265 += ":level-idc=" + (hevcLevel / 30.0).ToString("0.0", inv);
                }

                args = ["-c:v", "libx265", "-preset", "veryfast", "-crf", "20", "-profile:v", "main", "-pix_fmt", "yuv420p", "-x265-params", x265];
                break;
            default:
                reason = $"codec {video.Codec} is not H.264 or H.265";
                return null;
        }

        AddIfKnown(args, "-color_range", video.ColorRange);
        AddIfKnown(args, "-colorspace", video.ColorSpace);
        AddIfKnown(args, "-color_trc", video.ColorTransfer);
        AddIfKnown(args, "-color_primaries", video.ColorPrimaries);
        if (video.SampleAspectRatio is { } sar && sar.Contains(':') && sar is not ("0:1" or "1:1"))
        {
            args.AddRange(["-vf", "setsar=" + sar.Replace(':', '/')]);
        }

        return new VideoEncoder(args, video.TimeBaseNum == 1 ? video.TimeBaseDen : null);
    }

    private static void AddIfKnown(List<string> args, string option, string? value)
    {
        if (value is { Length: > 0 } && value != "unknown" && value != "reserved")
        {
            args.AddRange([option, value]);
        }
    }

    /// <summary>True when the <paramref name="count"/> packets from <paramref name="index"/> (decode order) all show in <c>[from, to)</c> — with <paramref name="count"/> the number of frames there, they are exactly those frames.</summary>
    private static bool IsSelfContained(IReadOnlyList<VideoPacket> packets, int index, int count, double from, double to, Func<VideoPacket, double> at)
    {
        if (count <= 0 || index + count > packets.Count)
        {
            return false;
        }

        for (var i = index; i < index + count; i++)
        {
            var t = at(packets[i]);
            if (t < from - Epsilon || t >= to - Epsilon)
            {
                return false;
            }
        }

        return true;
    }

    private static int IndexOf(IReadOnlyList<VideoPacket> packets, Func<VideoPacket, bool> match)
    {
        for (var i = 0; i < packets.Count; i++)
        {
            if (match(packets[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int LastIndexOf(IReadOnlyList<VideoPacket> packets, Func<VideoPacket, bool> match)
    {
        for (var i = packets.Count - 1; i >= 0; i--)
        {
            if (match(packets[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
