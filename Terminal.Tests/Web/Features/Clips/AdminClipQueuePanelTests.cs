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

/// <summary>ADMIN's clip-job queue panel over the real clip service (the app of a <see cref="ClipsWebFactory"/>).</summary>
public sealed class AdminClipQueuePanelTests : BunitTestBase, IClassFixture<ClipsWebFactory>
{
    private readonly ClipsWebFactory _app;

    public AdminClipQueuePanelTests(ClipsWebFactory app)
    {
        _app = app;
        Services.AddSingleton(_app.Services.GetRequiredService<ClipService>());
        Services.AddSingleton(_app.Services.GetRequiredService<Terminal.Core.Accounts.IAccountDirectory>());
        Services.AddSingleton(_app.Services.GetRequiredService<IVods>());
    }

    [Fact]
    public async Task ShowsStateProgressWorkerAndAge_AndRetriesAFailedJob()
    {
        var user = await _app.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(_app.Services, 12);
        var id = Guid.NewGuid();
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            db.ClipRequests.Add(new ClipRequest { Id = id, UserId = user.UserId, VodId = vod.Id, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Exact, Status = ClipStatus.Failed, Error = "boom", Progress = 40, Credits = 1, Charges = 1, Attempts = 2, Worker = "node-a/42", CreatedAt = DateTime.UtcNow.AddMinutes(-5) });
            await db.SaveChangesAsync();
        }

        var cut = Render<AdminClipQueuePanel>();
        cut.WaitForAssertion(() => cut.FindAll("tr[data-status=failed]").Should().HaveCount(1));
        var row = cut.Find("tr[data-status=failed]");
        row.TextContent.Should().Contain(id.ToString("N")[..8]).And.Contain("exact").And.Contain("node-a/42").And.Contain("5m");

        await row.QuerySelectorAll("button").Single(b => b.TextContent.Contains("Retry", StringComparison.Ordinal)).ClickAsync();

        cut.WaitForAssertion(() => cut.FindAll("tr[data-status=failed]").Should().BeEmpty(), TimeSpan.FromSeconds(10));
        (await GetRequestAsync(_app.Services, id)).Status.Should().NotBe(ClipStatus.Failed);
    }

    [Fact]
    public async Task ShowsTheUsersEmailAndTheVodTitle()
    {
        var user = await _app.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(_app.Services, 12, title: "Queue title " + Guid.NewGuid().ToString("N")[..6]);
        var id = Guid.NewGuid();
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            db.ClipRequests.Add(new ClipRequest { Id = id, UserId = user.UserId, VodId = vod.Id, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Fast, Status = ClipStatus.Cancelled, Credits = 1, Charges = 1, CreatedAt = DateTime.UtcNow.AddMinutes(-1) });
            await db.SaveChangesAsync();
        }

        var cut = Render<AdminClipQueuePanel>();

        cut.WaitForAssertion(() => cut.FindAll($"tr[data-request='{id:N}']").Should().HaveCount(1));
        var row = cut.Find($"tr[data-request='{id:N}']");
        row.QuerySelector("[data-testid=clip-user]")!.TextContent.Should().Be(user.Email);
        row.QuerySelector("[data-testid=clip-vod]")!.TextContent.Should().Be(vod.Title);
    }
}
