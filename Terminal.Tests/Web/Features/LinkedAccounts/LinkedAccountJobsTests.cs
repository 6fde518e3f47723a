using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Cluster;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Data.LinkedAccounts;
using Terminal.Jobs.LinkedAccounts;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.LinkedAccounts;

/// <summary>The scheduled side: the maintenance scan (due syncs, interrupted runs) and serialised refreshes.</summary>
public sealed class LinkedAccountJobsTests(PlatformsWebFactory factory) : IClassFixture<PlatformsWebFactory>
{
    private static object TikTokTokens(string suffix) => Terminal.Tests.Jobs.LinkedAccounts.PlatformFakes.TikTokTokens(suffix);

    private async Task<(AuthenticatedClient User, long AccountId, string Code)> LinkTikTokAsync()
    {
        var user = await factory.CreateUserClientAsync();
        var code = "code-" + Guid.NewGuid().ToString("N");
        await factory.LinkAsync(user, Platform.TikTok, code, TikTokTokens(code));
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);
        var id = await factory.WithDbAsync(db => db.PlatformAccounts.Where(a => a.UserId == user.UserId).Select(a => a.Id).SingleAsync());
        return (user, id, code);
    }

    private Task RunMaintenanceAsync() =>
        ActivatorUtilities.CreateInstance<LinkedAccountMaintenanceJob>(factory.Services).Execute(null!, CancellationToken.None).AsTask();

    [Fact]
    public async Task Maintenance_StartsDueSyncs_AndNextSyncIsSixHoursLater()
    {
        var (user, accountId, _) = await LinkTikTokAsync();
        var after = await factory.WithDbAsync(db => db.PlatformAccounts.SingleAsync(a => a.Id == accountId));
        after.NextSyncAt.Should().BeCloseTo(after.LastSyncAt!.Value.AddHours(6), TimeSpan.FromSeconds(5));
        await factory.WithDbAsync(db => db.PlatformAccounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.NextSyncAt, DateTime.UtcNow.AddMinutes(-1))));

        await RunMaintenanceAsync();

        await factory.WaitForFinishedRunsAsync(user.UserId, 2);
        var runs = await factory.WithDbAsync(db => db.IngestionRuns.Where(r => r.UserId == user.UserId).OrderBy(r => r.Id).ToListAsync());
        runs[^1].Trigger.Should().Be("schedule");
        runs[^1].Status.Should().Be(IngestionStatus.Succeeded);
    }

    [Fact]
    public async Task Maintenance_ClosesRunsInterruptedByAStoppedProcess()
    {
        var (user, accountId, _) = await LinkTikTokAsync();
        var stale = await factory.WithDbAsync(async db =>
        {
            var run = new IngestionRun { UserId = user.UserId, Platform = Platform.TikTok, PlatformAccountId = accountId, StartedAt = DateTime.UtcNow.AddHours(-2), Status = IngestionStatus.Running, Records = 20 };
            db.IngestionRuns.Add(run);
            await db.SaveChangesAsync();
            return run.Id;
        });

        await RunMaintenanceAsync();

        var closed = await factory.WithDbAsync(db => db.IngestionRuns.SingleAsync(r => r.Id == stale));
        closed.Status.Should().Be(IngestionStatus.Partial, "the 20 records it wrote are kept");
        closed.Error.Should().Contain("Interrupted");
        closed.FinishedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task ConcurrentRefreshes_OfOneAccount_AreSerialised_SoARotatingTokenIsUsedOnce()
    {
        var (_, accountId, code) = await LinkTikTokAsync();
        factory.TokenAnswer(Platform.TikTok, "refresh_token", "rft." + code, TikTokTokens(code + "-r"));
        await factory.WithDbAsync(db => db.PlatformAccounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.AccessTokenExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        var service = factory.Services.GetRequiredService<LinkedAccountService>();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => service.GetAccessTokenAsync(accountId, false, CancellationToken.None))));

        tokens.Should().OnlyContain(t => t == "act." + code + "-r");
        factory.Platforms.LogEntries.Count(e => e.RequestMessage.Path == "/tiktok/v2/oauth/token/" && e.RequestMessage.Body!.Contains("refresh_token=rft." + code, StringComparison.Ordinal))
            .Should().Be(1);
    }

    [Fact]
    public async Task Refresh_WaitsWhileAnotherNodeHoldsTheAccountsLease()
    {
        var (_, accountId, code) = await LinkTikTokAsync();
        factory.TokenAnswer(Platform.TikTok, "refresh_token", "rft." + code, TikTokTokens(code + "-r"));
        await factory.WithDbAsync(db => db.PlatformAccounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.AccessTokenExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        var leases = factory.Services.GetRequiredService<ILeases>();
        var name = LinkedAccountService.RefreshLeaseName(accountId);
        (await leases.TryAcquireAsync(name, "other-node", TimeSpan.FromMinutes(1), default)).Should().BeTrue();

        var refresh = factory.Services.GetRequiredService<LinkedAccountService>().GetAccessTokenAsync(accountId, false, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        refresh.IsCompleted.Should().BeFalse("the other node is refreshing this account");
        TokenRefreshes(code).Should().Be(0);

        await leases.ReleaseAsync(name, "other-node", default);

        (await refresh.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("act." + code + "-r");
        TokenRefreshes(code).Should().Be(1);
    }

    private int TokenRefreshes(string code) =>
        factory.Platforms.LogEntries.Count(e => e.RequestMessage.Path == "/tiktok/v2/oauth/token/" && e.RequestMessage.Body!.Contains("refresh_token=rft." + code, StringComparison.Ordinal));
}
