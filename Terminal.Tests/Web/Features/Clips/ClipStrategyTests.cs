using System.Net.Http.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Clips;
using Terminal.Data;
using Terminal.Jobs.Clips;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Clips;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>The strategy a clip was cut with, through the real pipeline: stored on the request, in the status API and ADMIN's queue.</summary>
public sealed class ClipStrategyTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    private sealed record StrategyStatusDto(Guid RequestId, string Status, string? Error, string? Strategy);

    private async Task<StrategyStatusDto> CutAsync(AuthenticatedClient user, Guid vodId, double start, double end, string mode)
    {
        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId, startTime = start, endTime = end, mode });
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;
        var final = await WaitForFinalAsync(user.Http, accepted.RequestId, TimeSpan.FromSeconds(90));
        final.Status.Should().Be("ready", final.Error);
        return (await user.Http.GetFromJsonAsync<StrategyStatusDto>($"/api/clips/status/{accepted.RequestId}"))!;
    }

    [Fact]
    public async Task ExactClip_OfTheDemoSource_IsSmartCut_AndSaysSo()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 12);

        var status = await CutAsync(user, vod.Id, 3.517, 9.233, "exact");

        status.Strategy.Should().Be("smart");
        (await GetRequestAsync(factory.Services, status.RequestId)).Strategy.Should().Be(ClipCutStrategy.Smart);
        var file = Path.Combine(factory.DataDirectory, "clips", (await GetRequestAsync(factory.Services, status.RequestId)).OutputFile!);
        var (frames, fps) = await MediaCheck.VideoFramesAsync(file);
        frames.Should().Be((int)Math.Ceiling(9.233 * 25) - (int)Math.Ceiling(3.517 * 25), "frames 88 to 230 of the 25 fps source");
        fps.Should().BeApproximately(25, 0.01);
        Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "clips", "tmp")).Should().BeEmpty("parts and temp files are removed");
    }

    /// <summary>An exact range inside one GOP of the demo source (keyframes every 2 s) has no keyframe to copy from: the clip is
    /// re-encoded whole, and the request keeps why.</summary>
    [Fact]
    public async Task ExactClip_ThatCannotBeSmartCut_IsReencoded_AndKeepsTheReason()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 12);

        var status = await CutAsync(user, vod.Id, 4.3, 5.7, "exact");

        status.Strategy.Should().Be("reencode");
        var stored = await GetRequestAsync(factory.Services, status.RequestId);
        stored.Strategy.Should().Be(ClipCutStrategy.Reencode);
        stored.FallbackReason.Should().Be("no keyframe inside the range");
    }

    [Fact]
    public async Task FastClip_SaysCopy()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 12);

        (await CutAsync(user, vod.Id, 1.5, 4.5, "fast")).Strategy.Should().Be("copy");
    }
}

/// <summary>ADMIN's clip queue shows how each clip was cut.</summary>
public sealed class AdminClipQueueStrategyTests : BunitTestBase, IClassFixture<ClipsWebFactory>
{
    private readonly ClipsWebFactory _app;

    public AdminClipQueueStrategyTests(ClipsWebFactory app)
    {
        _app = app;
        Services.AddSingleton(_app.Services.GetRequiredService<ClipService>());
        Services.AddSingleton(_app.Services.GetRequiredService<Terminal.Core.Accounts.IAccountDirectory>());
        Services.AddSingleton(_app.Services.GetRequiredService<Terminal.Core.Clips.IVods>());
    }

    [Fact]
    public async Task ShowsTheCutStrategyOfEachJob()
    {
        var user = await _app.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(_app.Services, 12);
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            db.ClipRequests.Add(new ClipRequest { Id = Guid.NewGuid(), UserId = user.UserId, VodId = vod.Id, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Exact, Status = ClipStatus.Ready, Strategy = ClipCutStrategy.Smart, Credits = 1, Charges = 1, Attempts = 1, CreatedAt = DateTime.UtcNow });
            db.ClipRequests.Add(new ClipRequest { Id = Guid.NewGuid(), UserId = user.UserId, VodId = vod.Id, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Exact, Status = ClipStatus.Ready, Strategy = ClipCutStrategy.Reencode, Credits = 1, Charges = 1, Attempts = 1, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var cut = Render<AdminClipQueuePanel>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=clip-strategy]").Select(c => c.TextContent).Should().Contain(["smart", "reencode"]));
    }

    [Fact]
    public async Task ShowsWhyAnExactClipWasNotSmartCut_AsSecondaryTextAndTooltip()
    {
        var user = await _app.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(_app.Services, 12);
        Guid smart = Guid.NewGuid(), fallback = Guid.NewGuid();
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            db.ClipRequests.Add(new ClipRequest { Id = smart, UserId = user.UserId, VodId = vod.Id, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Exact, Status = ClipStatus.Ready, Strategy = ClipCutStrategy.Smart, Credits = 1, Charges = 1, Attempts = 1, CreatedAt = DateTime.UtcNow });
            db.ClipRequests.Add(new ClipRequest { Id = fallback, UserId = user.UserId, VodId = vod.Id, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Exact, Status = ClipStatus.Ready, Strategy = ClipCutStrategy.Reencode, FallbackReason = "codec vp9 is not H.264 or H.265", Credits = 1, Charges = 1, Attempts = 1, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var cut = Render<AdminClipQueuePanel>();

        cut.WaitForAssertion(() => cut.FindAll($"tr[data-request='{fallback:N}']").Should().HaveCount(1));
        var row = cut.Find($"tr[data-request='{fallback:N}']");
        var strategy = row.QuerySelector("[data-testid=clip-strategy]")!;
        strategy.TextContent.Should().Be("reencode");
        row.QuerySelector("[data-testid=clip-fallback]")!.TextContent.Should().Be("codec vp9 is not H.264 or H.265");
        strategy.ParentElement!.GetAttribute("title").Should().Be("Not smart-cut: codec vp9 is not H.264 or H.265");

        var smartRow = cut.Find($"tr[data-request='{smart:N}']");
        smartRow.QuerySelector("[data-testid=clip-fallback]").Should().BeNull("a smart-cut clip has no fallback to explain");
        smartRow.QuerySelector("[data-testid=clip-strategy]")!.ParentElement!.HasAttribute("title").Should().BeFalse();
    }
}
