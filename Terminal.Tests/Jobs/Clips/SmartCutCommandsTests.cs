using Terminal.Jobs.Clips;

namespace Terminal.Tests.Jobs.Clips;

/// <summary>What the keyframe probe reads of a source with audio, and the audio rate a smart cut encodes at.</summary>
public sealed class SmartCutCommandsTests
{
    private const string ProbeJson = """
        {
          "packets": [
            { "stream_index": 1, "pts": 6437888, "dts": 6437888, "flags": "K_" },
            { "stream_index": 0, "pts": 3737600, "dts": 3737600, "flags": "K_" },
            { "stream_index": 1, "pts": 6438912, "dts": 6438912, "flags": "K_" },
            { "stream_index": 0, "pts": 3738112, "dts": 3738112, "flags": "__" }
          ],
          "streams": [
            { "index": 0, "codec_type": "video", "codec_name": "h264", "profile": "High", "level": 30, "pix_fmt": "yuv420p",
              "width": 480, "height": 270, "time_base": "1/12800", "field_order": "progressive" },
            { "index": 1, "codec_type": "audio", "codec_name": "aac", "time_base": "1/22050", "bit_rate": "48146" }
          ],
          "format": { "start_time": "0.000000", "format_name": "mov,mp4,m4a,3gp,3g2,mj2" }
        }
        """;

    [Fact]
    public void Parse_KeepsOnlyTheVideoPackets_AndReadsTheFirstAudioStream()
    {
        var window = KeyframeWindow.Parse(ProbeJson)!;

        window.Packets.Should().Equal(new VideoPacket(3737600, 3737600, true), new VideoPacket(3738112, 3738112, false));
        window.Video.Width.Should().Be(480);
        window.Video.TimeBaseDen.Should().Be(12800);
        window.Audio.Should().Be(new SourceAudio("aac", 48146));
    }

    [Fact]
    public void Parse_OfASourceWithoutAudio_HasNoAudio()
    {
        var json = ProbeJson.Replace("""{ "index": 1, "codec_type": "audio", "codec_name": "aac", "time_base": "1/22050", "bit_rate": "48146" }""", "", StringComparison.Ordinal)
            .Replace("""field_order": "progressive" },""", """field_order": "progressive" }""", StringComparison.Ordinal);

        var window = KeyframeWindow.Parse(json)!;

        window.Audio.Should().BeNull();
        window.Packets.Should().HaveCount(2);
    }

    [Theory]
    [InlineData(48146, 48146)] // the source's own rate
    [InlineData(8000, 32000)] // never below 32 kb/s
    [InlineData(320000, 192000)] // never above 192 kb/s
    [InlineData(null, 128000)] // MPEG-TS/HLS state none
    public void AudioBitRate_FollowsTheSource_WithinBounds(int? source, int expected) =>
        ClipCommands.AudioBitRate(new SourceAudio("aac", source)).Should().Be(expected);

    [Theory]
    [InlineData("aac", "mov,mp4,m4a,3gp,3g2,mj2", true)] // AAC in MP4: copied by the join
    [InlineData("aac", "mpegts", false)] // MPEG-TS timestamps: re-encoded
    [InlineData("aac", "hls", false)]
    [InlineData("mp3", "mov,mp4,m4a,3gp,3g2,mj2", false)] // not AAC: re-encoded
    public void CanCopyAudio_OnlyAacInMp4(string codec, string format, bool expected)
    {
        var window = KeyframeWindow.Parse(ProbeJson)! with { Audio = new SourceAudio(codec, 48146), FormatName = format };

        ClipCommands.CanCopyAudio(window).Should().Be(expected);
    }

    [Fact]
    public void CanCopyAudio_IsFalse_WithoutAudio() =>
        ClipCommands.CanCopyAudio(KeyframeWindow.Parse(ProbeJson)! with { Audio = null }).Should().BeFalse();

    [Fact]
    public async Task SmartJoin_CopyingTheSourceAudio_SeeksItToTheFirstFrame_LimitsIt_AndTrimsItsLastPacket()
    {
        var plan = new SmartCutPlan(5.333333, 6, 10, 10.7, 16, 96, 16, new VideoEncoder(["-c:v", "libx264"], 12288));
        await using var source = new Terminal.Jobs.Media.MediaInput("/media/source.mp4", Terminal.Jobs.Media.MediaInput.LocalProtocols, IsLocal: true);

        var args = ClipCommands.SmartJoin("/tmp/parts.ffconcat", null, plan, "/tmp/out.mp4", source);

        var second = args.ToList().LastIndexOf("-i");
        args[second + 1].Should().Be("/media/source.mp4");
        args.Take(second).Should().ContainInConsecutiveOrder("-ss", "5.333333").And.ContainInConsecutiveOrder("-t", "5.366667");
        args.Should().ContainInConsecutiveOrder("-map", "0:v:0", "-map", "1:a:0").And.ContainInConsecutiveOrder("-bsf:a", ClipCommands.AudioEndTrim(5.366667));
        ClipCommands.AudioEndTrim(5.366667).Should().Be(@"setts=duration=if(gt((PTS+DURATION)*TB\,5.366667)\,max(1\,round(5.366667/TB-PTS))\,DURATION)");
    }

    [Fact]
    public void Parse_ReadsTheVideoTrackId_AndAnH264Mp4OnTrack1_CanBeJoinedFromTheSource()
    {
        var window = KeyframeWindow.Parse(ProbeJson.Replace("\"index\": 0, \"codec_type\"", "\"index\": 0, \"id\": \"0x1\", \"codec_type\"", StringComparison.Ordinal))!;

        window.VideoId.Should().Be(1);
        ClipCommands.CanJoinFromSource(window).Should().BeTrue();
        ClipCommands.CanJoinFromSource(window with { VideoId = 2 }).Should().BeFalse("the list keeps track 1, the parts' video");
        ClipCommands.CanJoinFromSource(window with { VideoId = null }).Should().BeFalse();
        ClipCommands.CanJoinFromSource(window with { FormatName = "mpegts" }).Should().BeFalse("an MPEG-TS seek does not land on the keyframe");
        ClipCommands.CanJoinFromSource(window with { Video = window.Video with { Codec = "hevc" } }).Should().BeFalse("the concat demuxer converts only H.264 to Annex B");
        KeyframeWindow.Parse(ProbeJson)!.VideoId.Should().BeNull();
    }

    [Fact]
    public async Task SmartEdges_EncodesHeadAndTail_InOneProcess_EachInputBounded_InTheSourcesTimeScale()
    {
        var plan = new SmartCutPlan(5.333333, 6, 10, 10.7, 16, 96, 17, new VideoEncoder(["-c:v", "libx264"], 12288), 0.083333, 0.041667);
        await using var source = new Terminal.Jobs.Media.MediaInput("/media/source.mp4", Terminal.Jobs.Media.MediaInput.LocalProtocols, IsLocal: true);

        var args = ClipCommands.SmartEdges(source, plan, "/tmp/h.mp4", "/tmp/t.mp4")!;

        args.Count(a => a == "-i").Should().Be(2);
        args.Should().ContainInConsecutiveOrder("-ss", "5.333333", "-t", "1.666667", "-i", "/media/source.mp4")
            .And.ContainInConsecutiveOrder("-ss", "10.000000", "-t", "1.700000", "-i", "/media/source.mp4")
            .And.ContainInConsecutiveOrder("-map", "0:v:0", "-frames:v", "16")
            .And.ContainInConsecutiveOrder("-map", "1:v:0", "-frames:v", "17")
            .And.ContainInConsecutiveOrder("-bsf:v", "setts=dts=DTS-1024")
            .And.ContainInConsecutiveOrder("-bsf:v", "setts=dts=DTS-512")
            .And.ContainInConsecutiveOrder("-video_track_timescale", "12288", "-f", "mp4", "/tmp/h.mp4")
            .And.ContainInConsecutiveOrder("-video_track_timescale", "12288", "-f", "mp4", "/tmp/t.mp4");
        ClipCommands.SmartEdges(source, plan with { HeadFrames = 0 }, "/tmp/h.mp4", "/tmp/t.mp4")!
            .Should().ContainInConsecutiveOrder("-map", "0:v:0", "-frames:v", "17").And.NotContain("/tmp/h.mp4");
        ClipCommands.SmartEdges(source, plan with { HeadFrames = 0, TailFrames = 0 }, "/tmp/h.mp4", "/tmp/t.mp4").Should().BeNull();
    }

    [Fact]
    public void SmartSourceConcatList_ReadsTheBodyFromTheSource_BetweenInAndOutPoints_KeepingOnlyTrack1()
    {
        var plan = new SmartCutPlan(5.333333, 6, 10, 10.7, 16, 96, 17, new VideoEncoder(["-c:v", "libx264"], 12288), BodyOut: 9.916667);

        var list = ClipCommands.SmartSourceConcatList(plan, "/tmp/h.mp4", "/media/it's.mp4", 0.5, "/tmp/t.mp4");

        list.Should().Be("""
            ffconcat version 1.0
            stream
            exact_stream_id 1
            file '/tmp/h.mp4'
            duration 0.666667
            file '/media/it'\''s.mp4'
            duration 4.000000
            inpoint 6.500000
            outpoint 10.416667
            file '/tmp/t.mp4'
            duration 0.700000

            """.ReplaceLineEndings("\n"));
        ClipCommands.SmartSourceConcatList(plan with { HeadFrames = 0, TailFrames = 0, BodyOut = null }, "/tmp/h.mp4", "/media/s.mp4", 0, "/tmp/t.mp4")
            .Should().NotContain("/tmp/").And.NotContain("outpoint").And.Contain("inpoint 6.000000\n");
    }
}
