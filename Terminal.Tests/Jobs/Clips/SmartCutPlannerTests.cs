using Terminal.Jobs.Clips;

namespace Terminal.Tests.Jobs.Clips;

/// <summary>
/// The smart-cut decision on hand-made packet lists: 10 fps (time base 1/10, so pts = frame index),
/// GOP 10 (keyframes at 0, 1 s, 2 s, …).
/// </summary>
public sealed class SmartCutPlannerTests
{
    private static readonly SourceVideo H264 = new("h264", "High", 30, "yuv420p", 320, 180, 1, 10, "progressive", "1:1", null, null, null, null);

    /// <summary>Packets of frames [0, frames) in decode order; with B-frames each P frame comes before the two B-frames shown before it (closed GOPs).</summary>
    private static List<VideoPacket> Packets(int frames, bool bFrames, int gop = 10)
    {
        var list = new List<VideoPacket>();
        for (var g = 0; g < frames; g += gop)
        {
            var end = Math.Min(g + gop, frames);
            list.Add(new VideoPacket(g, g, true));
            if (!bFrames)
            {
                for (var i = g + 1; i < end; i++)
                {
                    list.Add(new VideoPacket(i, i, false));
                }

                continue;
            }

            // I0 P3 B1 B2 P6 B4 B5 P9 B7 B8 — the last P closes the GOP, so nothing references the next one.
            var next = g + 1;
            while (next < end)
            {
                var anchor = Math.Min(next + 2, end - 1);
                list.Add(new VideoPacket(anchor, anchor, false));
                for (var b = next; b < anchor; b++)
                {
                    list.Add(new VideoPacket(b, b, false));
                }

                next = anchor + 1;
            }
        }

        return list;
    }

    private static KeyframeWindow Window(List<VideoPacket> packets, SourceVideo? video = null, double startTime = 0) => new(video ?? H264, startTime, packets);

    [Fact]
    public void MidGop_ReencodesTheHeadToTheNextKeyframe_AndCopiesToTheEnd_WhenFramesAreNotReordered()
    {
        var plan = SmartCutPlanner.Plan(Window(Packets(60, bFrames: false)), 1.25, 4.55).Plan!;

        plan.First.Should().BeApproximately(1.3, 1e-9, "frame 13 is the first at or after 1.25 s");
        plan.Keyframe.Should().BeApproximately(2, 1e-9);
        plan.HeadFrames.Should().Be(7, "frames 13–19");
        plan.BodyPackets.Should().Be(26, "frames 20–45, copied in order up to the end");
        plan.HasTail.Should().BeFalse();
        plan.Duration.Should().BeApproximately(3.25, 1e-9);
    }

    [Fact]
    public void WithBFrames_CopiesWholeGops_AndReencodesThePartialLastGop()
    {
        var plan = SmartCutPlanner.Plan(Window(Packets(60, bFrames: true)), 1.25, 4.55).Plan!;

        plan.Keyframe.Should().BeApproximately(2, 1e-9);
        plan.BodyEnd.Should().BeApproximately(4, 1e-9, "a decode-order prefix of the last GOP would hold P frames shown after the end");
        plan.BodyPackets.Should().Be(20, "the GOPs at 2 s and 3 s");
        plan.TailFrames.Should().Be(6, "frames 40–45");
    }

    [Fact]
    public void StartExactlyOnAKeyframe_HasNoHead()
    {
        var plan = SmartCutPlanner.Plan(Window(Packets(60, bFrames: true)), 2.0, 5.0).Plan!;

        plan.HasHead.Should().BeFalse();
        plan.First.Should().BeApproximately(2, 1e-9);
        plan.BodyPackets.Should().Be(30);
        plan.HasTail.Should().BeFalse("the end falls on a keyframe, so whole GOPs reach it");
    }

    [Fact]
    public void StartOneFrameBeforeAKeyframe_ReencodesOneFrame()
    {
        var plan = SmartCutPlanner.Plan(Window(Packets(60, bFrames: true)), 1.9, 3.5).Plan!;

        plan.HeadFrames.Should().Be(1);
        plan.First.Should().BeApproximately(1.9, 1e-9);
        plan.Keyframe.Should().BeApproximately(2, 1e-9);
    }

    [Fact]
    public void ContainerStartTime_IsSubtracted_LikeFfmpegsSeek()
    {
        // An MPEG-TS/HLS source whose timestamps start at 1.4 s: frame 13 is at 2.7 s absolute, 1.3 s for -ss.
        var packets = Packets(60, bFrames: false).Select(p => p with { Pts = p.Pts + 14, Dts = p.Dts + 14 }).ToList();

        var plan = SmartCutPlanner.Plan(Window(packets, startTime: 1.4), 1.25, 4.55).Plan!;

        plan.First.Should().BeApproximately(1.3, 1e-9);
        plan.Keyframe.Should().BeApproximately(2, 1e-9);
    }

    [Fact]
    public void OpenGop_FallsBack()
    {
        // The B-frames 18 and 19 follow keyframe 20 in decode order and reference the GOP before it.
        var packets = Packets(60, bFrames: false).Where(p => p.Pts is not (18 or 19)).ToList();
        var at20 = packets.FindIndex(p => p.Pts == 20);
        packets.InsertRange(at20 + 1, [new VideoPacket(18, 21, false), new VideoPacket(19, 22, false)]);

        var decision = SmartCutPlanner.Plan(Window(packets), 1.25, 4.55);

        decision.Plan.Should().BeNull();
        decision.Reason.Should().Contain("not closed");
    }

    [Fact]
    public void HlsSource_FallsBack()
    {
        SmartCutPlanner.Plan(Window(Packets(60, bFrames: false)) with { FormatName = "hls" }, 1.25, 4.55).Reason.Should().Contain("HLS");
    }

    [Fact]
    public void RangeInsideOneGop_FallsBack()
    {
        SmartCutPlanner.Plan(Window(Packets(60, bFrames: true)), 2.1, 2.9).Plan.Should().BeNull("there is no keyframe to copy from");
    }

    [Theory]
    [InlineData("vp9", "Profile 0", "yuv420p", "codec vp9")]
    [InlineData("h264", "High 10", "yuv420p10le", "cannot be matched")]
    [InlineData("h264", "High", "yuv444p", "cannot be matched")]
    public void SourcesTheEncoderCannotMatch_FallBack(string codec, string profile, string pixelFormat, string reason)
    {
        var video = H264 with { Codec = codec, Profile = profile, PixelFormat = pixelFormat };

        var decision = SmartCutPlanner.Plan(Window(Packets(60, bFrames: false), video), 1.25, 4.55);

        decision.Plan.Should().BeNull();
        decision.Reason.Should().Contain(reason);
    }

    [Fact]
    public void InterlacedSource_FallsBack()
    {
        SmartCutPlanner.Plan(Window(Packets(60, bFrames: false), H264 with { FieldOrder = "tt" }), 1.25, 4.55).Reason.Should().Contain("interlaced");
    }

    [Fact]
    public void Encoder_MatchesProfileLevelPixelFormatAndTimeScale()
    {
        var encoder = SmartCutPlanner.EncoderFor(H264 with { Profile = "Constrained Baseline", Level = 21, TimeBaseDen = 12288 }, true, out _)!;

        encoder.Arguments.Should().ContainInOrder("-c:v", "libx264").And.ContainInOrder("-profile:v", "baseline")
            .And.ContainInOrder("-level:v", "2.1").And.ContainInOrder("-pix_fmt", "yuv420p");
        encoder.TimeScale.Should().Be(12288);
    }

    private static readonly SourceVideo Hevc = H264 with { Codec = "hevc", Profile = "Main", Level = 90, TimeBaseDen = 15360 };

    [Fact]
    public void HevcEncoder_IsLibx265_WithTheSourcesProfileLevelAndTimeScale_AndNoBFrames()
    {
        var encoder = SmartCutPlanner.EncoderFor(Hevc with { ColorRange = "tv", ColorSpace = "bt709" }, true, out var reason)!;

        reason.Should().BeEmpty();
        encoder.Arguments.Should().ContainInOrder("-c:v", "libx265").And.ContainInOrder("-profile:v", "main")
            .And.ContainInOrder("-pix_fmt", "yuv420p").And.ContainInOrder("-color_range", "tv").And.ContainInOrder("-colorspace", "bt709");
        var x265 = encoder.Arguments[encoder.Arguments.ToList().IndexOf("-x265-params") + 1];
        x265.Split(':').Should().Contain(["bframes=0", "level-idc=3.0"], "HEVC general_level_idc 90 is level 3.0, and the re-encoded parts keep dts = pts");
        encoder.Arguments.Should().NotContain("libx264");
        encoder.TimeScale.Should().Be(15360);
    }

    [Fact]
    public void HevcSource_IsPlannedLikeH264()
    {
        var decision = SmartCutPlanner.Plan(Window(Packets(60, bFrames: true), Hevc with { TimeBaseDen = 10 }), 1.25, 4.55);

        decision.Reason.Should().Be("smart");
        var plan = decision.Plan!;
        plan.First.Should().BeApproximately(1.3, 1e-9);
        plan.Keyframe.Should().BeApproximately(2, 1e-9);
        plan.BodyEnd.Should().BeApproximately(4, 1e-9);
        plan.Encoder.Arguments.Should().ContainInOrder("-c:v", "libx265");
    }

    [Theory]
    [InlineData("Main 10", "yuv420p10le", true, "H.265 Main 10 yuv420p10le cannot be matched by libx265")]
    [InlineData("Main", "yuv422p", true, "H.265 Main yuv422p cannot be matched by libx265")]
    [InlineData("Main", "yuv420p", false, "no libx265 in this ffmpeg")]
    public void HevcSourcesLibx265CannotMatch_FallBack_WithTheReason(string profile, string pixelFormat, bool hevcEncoderAvailable, string reason)
    {
        var decision = SmartCutPlanner.Plan(Window(Packets(60, bFrames: false), Hevc with { Profile = profile, PixelFormat = pixelFormat }), 1.25, 4.55, hevcEncoderAvailable);

        decision.Plan.Should().BeNull();
        decision.Reason.Should().Be(reason);
    }

    [Fact]
    public void Seeks_AreTheFrameTime_RoundedDownToTheMicrosecond()
    {
        // Never past the frame (a decoded part would drop it; an HLS copy would skip to the next keyframe).
        SmartCutPlan.Seek(6.0213333333).Should().Be(6.021333);
        SmartCutPlan.Seek(6.0).Should().Be(6.0);
        SmartCutPlan.Seek(5.958333333).Should().Be(5.958333);
    }
}
