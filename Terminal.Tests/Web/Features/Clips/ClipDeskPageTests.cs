using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Clips;
using Terminal.Core.Credits;
using Terminal.Data;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Clips;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>The CLIP desk of one VOD (<c>/clip/{id}</c>), fed only by the <see cref="ClipDesk"/> facade.</summary>
public sealed class ClipDeskPageTests(ClipsWebFactory factory) : BunitTestBase, IClassFixture<ClipsWebFactory>
{
    [Fact]
    public async Task UnknownVod_SaysSo_AndLinksBackToThePicker()
    {
        await RegisterAsync();

        var page = Render<ClipDeskPage>(p => p.Add(x => x.VodId, Guid.NewGuid()));

        page.WaitForAssertion(() => page.Markup.Should().Contain("No VOD has that id."));
        page.Find("a[href='/clip']").Should().NotBeNull();
    }

    [Fact]
    public async Task PreparedVod_ShowsItsTitle_TheUsersJobsOfIt_AndTheirBalance()
    {
        var userId = await RegisterAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 6, "Desk of jobs");
        await factory.Services.GetRequiredService<VodMediaService>().ProbeAsync(vod.Id, CancellationToken.None);
        var jobId = Guid.NewGuid();
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            db.Set<ClipRequest>().Add(new ClipRequest
            {
                Id = jobId, UserId = userId, VodId = vod.Id, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Fast,
                Status = ClipStatus.Failed, Error = "encoder gave up", CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var balance = await factory.Services.GetRequiredService<ICreditLedger>().GetBalanceAsync(userId);

        var page = Render<ClipDeskPage>(p => p.Add(x => x.VodId, vod.Id));

        page.WaitForAssertion(() => page.FindAll("[data-testid=clip-job]").Should().HaveCount(1), TimeSpan.FromSeconds(10));
        page.Markup.Should().Contain("Desk of jobs");
        var job = page.Find("[data-testid=clip-job]");
        job.GetAttribute("data-status").Should().Be("failed");
        job.QuerySelector(".clip-error")!.TextContent.Should().Be("encoder gave up");
        job.QuerySelector(".clip-mode")!.TextContent.Should().Be("FAST");
        page.Find("[data-testid=credits]").TextContent.Should().Be($"CREDITS {balance}");
    }

    [Fact]
    public async Task UnpreparedVod_IsWatchedByOneLoop_EvenWhenParametersArriveAgain_AndOpensWhenPrepared()
    {
        await RegisterAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 6, "Watched once");

        var page = Render<ClipDeskPage>(p => p.Add(x => x.VodId, vod.Id));
        page.WaitForAssertion(() => page.FindAll("[data-testid=vod-prep]").Should().HaveCount(1), TimeSpan.FromSeconds(10));
        // The route hands the same parameters again (a layout re-render, the same address): still one watch.
        page.Render(p => p.Add(x => x.VodId, vod.Id));
        page.Render(p => p.Add(x => x.VodId, vod.Id));

        page.Instance.PreparationWatches.Should().Be(1);
        page.WaitForAssertion(() => page.FindAll("[data-testid=vod-prep]").Should().BeEmpty(), TimeSpan.FromSeconds(120));
        page.Instance.PreparationWatches.Should().Be(1);
    }

    private async Task<string> RegisterAsync()
    {
        var user = await factory.CreateUserClientAsync();
        Services.AddSingleton(factory.Services.GetRequiredService<ClipDesk>());
        Services.AddSingleton(factory.Services.GetRequiredService<VodPreparationProgress>());

        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        return user.UserId;
    }
}
