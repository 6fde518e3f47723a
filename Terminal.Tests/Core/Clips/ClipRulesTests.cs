using System.Net;
using Terminal.Core.Clips;
using Terminal.Core.Common;
using Terminal.Core.Credits;
using Terminal.Jobs.Media;

namespace Terminal.Tests.Core.Clips;

public sealed class ClipRangeTests
{
    [Theory]
    [InlineData(0, 10, 100)]
    [InlineData(99.5, 100, 100)]
    [InlineData(1.2345, 1.2356, 100)]
    public void Create_AcceptsRangesInsideTheVod(double start, double end, double duration)
    {
        var range = ClipRange.Create(start, end, duration);
        range.Start.Should().Be(Math.Round(start, 3));
        range.End.Should().Be(Math.Round(end, 3));
    }

    [Theory]
    [InlineData(5, 5, 100)]
    [InlineData(6, 5, 100)]
    [InlineData(-0.001, 5, 100)]
    [InlineData(0, 100.01, 100)]
    [InlineData(double.NaN, 5, 100)]
    [InlineData(0, double.NaN, 100)]
    [InlineData(0, double.PositiveInfinity, 100)]
    [InlineData(double.NegativeInfinity, 5, 100)]
    [InlineData(0, 1e308, 100)]
    [InlineData(1.2341, 1.2344, 100)]
    [InlineData(0, 10801, 20000)]
    public void Create_RefusesBadRanges_With400(double start, double end, double duration)
    {
        var act = () => ClipRange.Create(start, end, duration);
        act.Should().Throw<TerminalException>().Where(e => e.Kind == ErrorKind.BadRequest && e.Code == "invalid_range");
    }

    [Theory]
    [InlineData(0.001, 1)]
    [InlineData(59.999, 1)]
    [InlineData(60, 1)]
    [InlineData(60.001, 2)]
    [InlineData(120, 2)]
    [InlineData(3600, 60)]
    public void Cost_IsOneCreditPerStartedMinute(double seconds, int credits)
    {
        CreditRules.CostOf(seconds).Should().Be(credits);
        ClipRange.Create(10, 10 + seconds, 10_000).Cost.Should().Be(credits);
    }
}

public sealed class HotZonesTests
{
    [Fact]
    public void Compute_WeightsEachBinByViewsTimesCoveredFraction()
    {
        // VOD 100 s in 4 bins of 25 s.
        // A [10, 60) × 100 views: bin0 covers 15/25 → 60; bin1 full → 100; bin2 10/25 → 40.
        // B [50, 100) × 10 views: bin2 25/25 → 10 (+40 = 50); bin3 → 10.
        var histogram = HotZones.Compute(100, 4, [new ClippedRange(10, 60, 100), new ClippedRange(50, 100, 10)]);
        histogram.Should().Equal([60, 100, 50, 10], (a, b) => Math.Abs(a - b) < 1e-9);
        HotZones.Normalise(histogram).Should().Equal([0.6, 1, 0.5, 0.1], (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void Compute_ClampsToTheVod_AndIgnoresEmptyOrInvalidRanges()
    {
        var histogram = HotZones.Compute(10, 2,
        [
            new ClippedRange(-5, 2.5, 4),      // clamped to [0, 2.5): half of bin0 → 2
            new ClippedRange(8, 50, 10),       // clamped to [8, 10): 2/5 of bin1 → 4
            new ClippedRange(3, 3, 1000),      // empty
            new ClippedRange(4, 2, 1000),      // inverted
            new ClippedRange(double.NaN, 4, 1000),
            new ClippedRange(1, 2, 0),         // no views
        ]);
        histogram.Should().Equal([2, 4], (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void Normalise_OfNoClips_IsAllZeros() =>
        HotZones.Normalise(HotZones.Compute(60, 3, [])).Should().Equal(0, 0, 0);
}

public sealed class SignedLinksTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly Guid Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void Verify_AcceptsItsOwnSignature_BeforeExpiry()
    {
        var sig = SignedLinks.Sign(Key, Id, 1_800_000_600);
        SignedLinks.Verify(Key, Id, 1_800_000_600, sig, Now).Should().BeTrue();
    }

    [Fact]
    public void Verify_RefusesExpiredTamperedAndForeignLinks()
    {
        var sig = SignedLinks.Sign(Key, Id, 1_800_000_600);
        SignedLinks.Verify(Key, Id, 1_800_000_600, sig, Now.AddSeconds(600)).Should().BeFalse("expired");
        SignedLinks.Verify(Key, Id, 1_800_000_601, sig, Now).Should().BeFalse("expiry changed");
        SignedLinks.Verify(Key, Guid.NewGuid(), 1_800_000_600, sig, Now).Should().BeFalse("another clip");
        SignedLinks.Verify(Key, Id, 1_800_000_600, sig[..^1] + (sig[^1] == 'A' ? 'B' : 'A'), Now).Should().BeFalse("tampered");
        SignedLinks.Verify(new byte[32], Id, 1_800_000_600, sig, Now).Should().BeFalse("another key");
        SignedLinks.Verify(Key, Id, 1_800_000_600, null, Now).Should().BeFalse();
    }
}

public sealed class SourceUrlGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.8", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("93.184.215.14", false)]
    [InlineData("2606:4700::1111", false)]
    [InlineData("::127.0.0.1", true)]
    [InlineData("::8.8.8.8", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("2002:7f00:1::", true)]
    [InlineData("2002:a9fe:a9fe::1", true)]
    [InlineData("2002:808:808::1", false)]
    [InlineData("64:ff9b::127.0.0.1", true)]
    [InlineData("64:ff9b::10.0.0.1", true)]
    [InlineData("64:ff9b::8.8.8.8", false)]
    [InlineData("64:ff9b:1::8.8.8.8", true)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("100::1", true)]
    [InlineData("192.0.0.8", true)]
    [InlineData("240.0.0.1", true)]
    public void IsPrivate_ClassifiesAddresses(string address, bool isPrivate) =>
        SourceUrlGuard.IsPrivate(IPAddress.Parse(address)).Should().Be(isPrivate);

    [Fact]
    public async Task CheckAsync_RefusesAHostnameThatResolvesPrivately()
    {
        var guard = new SourceUrlGuard(Microsoft.Extensions.Options.Options.Create(new MediaOptions()))
        {
            Resolve = (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.0.0.5") }),
        };
        var act = () => guard.CheckAsync("https://rebind.example/v.m3u8", CancellationToken.None);
        (await act.Should().ThrowAsync<TerminalException>()).Which.Code.Should().Be("forbidden_source");
    }
}

public sealed class MediaProberParseTests
{
    [Fact]
    public void Parse_ReadsDurationResolutionCodecsAndRate()
    {
        const string json = """
            {"streams":[{"codec_type":"video","codec_name":"h264","width":1280,"height":720,"avg_frame_rate":"30000/1001"},
                        {"codec_type":"audio","codec_name":"aac"}],
             "format":{"duration":"61.500000"}}
            """;
        var info = MediaProber.Parse(json);
        info.Should().BeEquivalentTo(new MediaInfo(61.5, 1280, 720, "h264", "aac", 30000 / 1001.0));
    }

    [Fact]
    public void Parse_WithoutVideo_Fails() =>
        FluentActions.Invoking(() => MediaProber.Parse("""{"streams":[{"codec_type":"audio","codec_name":"mp3"}],"format":{"duration":"3"}}"""))
            .Should().Throw<MediaException>();
}
