using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>
/// Issue 17: a VOD's keyframe index is read when the VOD is prepared and kept next to it, so even the first exact cut
/// of it — on this node after a restart, or on another node — plans without a probe.
/// </summary>
public sealed class VodKeyframeIndexTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    [Fact]
    public async Task PreparedVod_HasItsKeyframeIndexOnDisk_WhichAFreshProbePlansFrom_WithoutAProcess()
    {
        var vod = await SeedDemoVodAsync(factory.Services, 6, "Indexed VOD");

        await factory.Services.GetRequiredService<VodMediaService>().ProbeAsync(vod.Id, CancellationToken.None);

        await using var input = await factory.Services.GetRequiredService<MediaSources>().ResolveAsync(vod, CancellationToken.None);
        File.Exists(KeyframeProbe.IndexFileOf(Path.GetFullPath(input.Url))).Should().BeTrue("the preparation stored the index next to the VOD");

        // A new probe with an empty memory cache: what a restarted node or another node has.
        using var runner = new FfmpegRunner(Options.Create(new FfmpegOptions()), Options.Create(new ClipOptions()), NullLogger<FfmpegRunner>.Instance);
        var fresh = new KeyframeProbe(runner);
        var window = await fresh.ProbeAsync(input, 1.3, 4.2, CancellationToken.None);

        runner.RunsStarted.Should().Be(0, "the window comes from the stored index");
        window.Should().NotBeNull();
        SmartCutPlanner.Plan(window!, 1.3, 4.2).Plan.Should().NotBeNull();
    }
}
