using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Terminal.Core;
using Terminal.Core.Common;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>
/// Every few minutes: starts the syncs that are due (each linked account every
/// <c>SyncIntervalHours</c>), refreshes Instagram's long-lived tokens before their 60 days run out,
/// closes runs cut off by a stopped process, retries validations the platform did not answer, and
/// drops expired OAuth states.
/// </summary>
[DisallowConcurrentExecution]
public sealed class LinkedAccountMaintenanceJob(
    ILinkedAccountStore links,
    IIngestionRuns runs,
    LinkedAccountService service,
    LinkedAccountScheduler scheduler,
    IPublicBaseUrl publicBase,
    TimeProvider clock,
    ILogger<LinkedAccountMaintenanceJob> logger) : IJob
{
    public static readonly JobKey Key = new("linked-accounts-maintenance", LinkedAccountJobs.Group);

    /// <summary>How long a triggered sync holds its slot before the scan may trigger it again (a lost trigger retries).</summary>
    private static readonly TimeSpan SyncLease = TimeSpan.FromMinutes(10);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await runs.CloseStaleAsync(now - LinkedAccountSync.StaleRunAge, now, cancellationToken);
        await links.DeleteExpiredPendingLinksAsync(now, cancellationToken);

        var instagram = await links.ConnectedLinksAsync(Platform.Instagram, cancellationToken);
        foreach (var account in instagram.Where(a => service.OAuthFor(Platform.Instagram).NeedsRefresh(a.AccessTokenExpiresAt, a.AccessTokenIssuedAt)))
        {
            try
            {
                await service.GetAccessTokenAsync(account.Id, force: false, cancellationToken);
            }
            catch (Exception e) when (PlatformFailures.IsTransient(e) || e is ReauthRequiredException or OAuthErrorException)
            {
                logger.LogWarning("Refreshing Instagram account {AccountId} failed: {Error}", account.Id, e.GetType().Name);
            }
        }

        foreach (var id in await links.ClaimDueSyncsAsync(now, now + SyncLease, take: 500, cancellationToken))
        {
            await scheduler.SyncNowAsync(id, "schedule", cancellationToken);
        }

        var pending = await links.PendingValidationsAsync(now.AddMinutes(-5), take: 100, cancellationToken);
        var baseUrl = publicBase.Resolve();
        foreach (var id in pending)
        {
            await scheduler.ValidateNowAsync(id, baseUrl, cancellationToken);
        }
    }
}
