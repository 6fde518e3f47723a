using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Terminal.Core;
using Terminal.Core.Common;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Data;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>
/// Every few minutes: starts the syncs that are due (each linked account every
/// <c>SyncIntervalHours</c>), refreshes Instagram's long-lived tokens before their 60 days run out,
/// closes runs cut off by a stopped process, retries validations the platform did not answer, and
/// drops expired OAuth states.
/// </summary>
[DisallowConcurrentExecution]
public sealed class LinkedAccountMaintenanceJob(
    IDbContextFactory<TerminalDbContext> dbFactory,
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
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var stale = now - LinkedAccountSync.StaleRunAge;
        await db.IngestionRuns.Where(r => r.Status == IngestionStatus.Running && r.StartedAt < stale).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, r => r.Records > 0 ? IngestionStatus.Partial : IngestionStatus.Failed)
            .SetProperty(r => r.Errors, r => r.Errors + 1)
            .SetProperty(r => r.Error, "Interrupted: the process stopped during the run.")
            .SetProperty(r => r.FinishedAt, now), cancellationToken);
        await db.OAuthLinkStates.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);

        var instagram = await db.PlatformAccounts.AsNoTracking()
            .Where(a => a.Status == LinkStatus.Connected && a.Platform == Platform.Instagram)
            .Select(a => new { a.Id, a.AccessTokenExpiresAt, a.AccessTokenIssuedAt })
            .ToListAsync(cancellationToken);
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

        var due = await db.PlatformAccounts.Where(a => a.Status == LinkStatus.Connected && a.NextSyncAt != null && a.NextSyncAt <= now)
            .OrderBy(a => a.NextSyncAt).Select(a => a.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            await db.PlatformAccounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.NextSyncAt, now + SyncLease), cancellationToken);
            await scheduler.SyncNowAsync(id, "schedule", cancellationToken);
        }

        var retryBefore = now.AddMinutes(-5);
        var pending = await db.PlatformCredentials.AsNoTracking()
            .Where(c => c.Status == LinkStatus.PendingValidation && c.UpdatedAt < retryBefore && (c.LastValidatedAt == null || c.LastValidatedAt < retryBefore))
            .OrderBy(c => c.UpdatedAt).Select(c => c.Id).Take(100).ToListAsync(cancellationToken);
        var baseUrl = publicBase.Resolve();
        foreach (var id in pending)
        {
            await scheduler.ValidateNowAsync(id, baseUrl, cancellationToken);
        }
    }
}
