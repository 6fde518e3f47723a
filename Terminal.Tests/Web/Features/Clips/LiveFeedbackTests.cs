using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using Terminal.Core.Clips;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Clips;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>Issue #16 live feedback: VOD preparation shows a real percentage and an estimate; clip job rows show percentage, ETA, size, link expiry and when they were asked.</summary>
public sealed class VodPreparationProgressTests
{
    [Fact]
    public void Estimate_IsTheElapsedTimeScaledByWhatIsLeft_AndFinishForgetsIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var progress = new VodPreparationProgress(time);
        var id = Guid.NewGuid();

        progress.Report(id, "generating the demo video", 0);
        progress.Get(id)!.Remaining.Should().BeNull("nothing moved yet");
        time.Advance(TimeSpan.FromSeconds(10));
        progress.Report(id, "generating the demo video", 0.25);

        progress.Get(id).Should().Be(new VodPreparationState("generating the demo video", 0.25, time.GetUtcNow().UtcDateTime.AddSeconds(-10), TimeSpan.FromSeconds(30)));
        progress.Finish(id);
        progress.Get(id).Should().BeNull();
    }
}

public sealed class VodPrepProgressComponentTests : BunitTestBase
{
    [Fact]
    public void VodPrepProgress_ShowsStagePercentageAndTimeLeft_OfTheStateItIsHanded()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var progress = new VodPreparationProgress(time);
        var id = Guid.NewGuid();
        progress.Report(id, "generating the demo video", 0);
        time.Advance(TimeSpan.FromSeconds(10));
        progress.Report(id, "generating the demo video", 0.25);

        // No VodPreparationProgress is registered: the bar runs no loop of its own (the desk's watch hands it the state).
        var cut = Render<VodPrepProgress>(p => p.Add(c => c.State, progress.Get(id)).Add(c => c.IsDemo, true));

        cut.Find("[data-testid=vod-prep-text]").TextContent.Should().Be("Preparing the media: generating the demo video · 25% · about 30 s left");
        time.Advance(TimeSpan.FromSeconds(10));
        progress.Report(id, "making thumbnails", 0.5);
        cut.Render(p => p.Add(c => c.State, progress.Get(id)));
        cut.Find("[data-testid=vod-prep-text]").TextContent.Should().Be("Preparing the media: making thumbnails · 50% · about 20 s left");
    }
}

public sealed class DemoPreparationProgressTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    [Fact]
    public async Task PreparingADemoVod_ReportsFfmpegsProgress_ThenForgetsIt()
    {
        var vod = await SeedDemoVodAsync(factory.Services, 90, "Progress check");
        var progress = factory.Services.GetRequiredService<VodPreparationProgress>();
        var seen = new List<double>();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (progress.Get(vod.Id) is { } state)
                {
                    seen.Add(state.Fraction);
                }

                await Task.Delay(10);
            }
        });

        await factory.Services.GetRequiredService<VodMediaService>().ProbeAsync(vod.Id, CancellationToken.None);
        await stop.CancelAsync();
        await watcher;

        seen.Should().Contain(f => f > 0 && f < VodPreparationProgress.GenerationShare, "ffmpeg's out_time moved the bar during the generation");
        seen.Should().BeInAscendingOrder();
        progress.Get(vod.Id).Should().BeNull("a finished preparation shows nothing");
    }
}

public sealed class ClipJobFactsTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ARunningJob_ShowsPercentageEtaAndWhenItWasAsked()
    {
        var job = Job(ClipStatus.Processing, progress: 25, startedAt: Now.AddSeconds(-10));

        ClipJobFacts.Facts(job, Now).Should().Equal(("progress", "25%"), ("eta", "ETA 30 s"), ("created", "asked 11:59:40 UTC"));
    }

    [Fact]
    public void AReadyJob_ShowsSizeAndLinkExpiry()
    {
        var request = Request(ClipStatus.Ready, progress: 100, startedAt: Now.AddSeconds(-10));
        request.OutputBytes = 1_572_864;
        request.ExpiresAt = Now.AddHours(24);
        var job = ClipJobView.Of(request);

        ClipJobFacts.Facts(job, Now).Should().Equal(("size", "1.5 MB"), ("expires", "link until 2026-11-29 12:00 UTC"), ("created", "asked 11:59:40 UTC"));
        ClipJobFacts.Facts(job, Now.AddDays(2)).Should().Contain(("expires", "link expired"));
    }

    [Fact]
    public void AQueuedJob_SaysSo() =>
        ClipJobFacts.Facts(Job(ClipStatus.Pending, 0, null), Now).Should().Equal(("progress", "queued"), ("created", "asked 11:59:40 UTC"));

    private static ClipJobView Job(ClipStatus status, double progress, DateTime? startedAt) => ClipJobView.Of(Request(status, progress, startedAt));

    private static ClipRequest Request(ClipStatus status, double progress, DateTime? startedAt) => new()
    {
        Id = Guid.NewGuid(), UserId = "u", VodId = Guid.NewGuid(), StartSeconds = 0, EndSeconds = 4, Mode = ClipMode.Exact, Status = status,
        Progress = progress, StartedAt = startedAt, Credits = 1, Charges = 1, CreatedAt = Now.AddSeconds(-20),
    };
}

public sealed class SnackbarPositionTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public void Toasts_SitBottomLeft_AwayFromTheDesksRequestPanelAtTheTopRight()
    {
        // What the app's snackbar service is built with (it needs a live circuit to be resolved itself).
        factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SnackbarConfiguration>>().Value.PositionClass
            .Should().Be(Defaults.Classes.Position.BottomLeft);
    }
}
