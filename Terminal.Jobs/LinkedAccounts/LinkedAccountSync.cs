using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Alerts;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>
/// One sync of one linked account: a recorded ingestion run, a fresh token, the platform's
/// connector writing each page as it arrives, and an account snapshot at the end — also after an error,
/// so what was fetched before the error is kept and counted. Once the posts are stored, the owner's
/// own-post outlier alerts are evaluated on them (before the run is marked finished).
/// </summary>
public sealed class LinkedAccountSync(
    ILinkedAccountStore links,
    IIngestionRuns runs,
    LinkedAccountService accounts,
    IEnumerable<PlatformConnector> connectors,
    IOptionsMonitor<LinkedAccountOptions> options,
    TimeProvider clock,
    IEnumerable<IOwnPostAlerts> ownPostAlerts,
    ILogger<LinkedAccountSync> logger)
{
    /// <summary>A run still "running" after this long was cut off by a stopped process.</summary>
    public static readonly TimeSpan StaleRunAge = TimeSpan.FromMinutes(30);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <returns>The run's id, or null when nothing ran (not connected, or a run is already going).</returns>
    public async Task<long?> RunAsync(long accountId, string trigger, CancellationToken cancellationToken)
    {
        var account = await links.FindLinkAsync(accountId, cancellationToken);
        if (account is not { Status: LinkStatus.Connected })
        {
            return null;
        }

        // REVIEW: Google resets Data API quota at midnight Pacific time; we account per UTC day, which can
        // only be stricter by the offset's worth of a day, never looser over 24 h.
        var now = Now;
        var started = await runs.StartAsync(account, trigger, now, staleBefore: now - StaleRunAge, quotaDayStart: now.Date, cancellationToken);
        if (started is null)
        {
            return null;
        }

        var (runId, usedToday) = started.Value;

        var connector = connectors.First(c => c.Platform == account.Platform);
        var budget = account.Platform == Platform.YouTube ? options.CurrentValue.YouTubeDailyQuotaUnits - usedToday : int.MaxValue;
        var sink = new StoreSyncSink(runs, runId, account, budget, clock);
        string? error = null;
        try
        {
            var token = await accounts.GetAccessTokenAsync(accountId, force: false, cancellationToken);
            try
            {
                await connector.SyncAsync(token, sink, cancellationToken);
            }
            catch (PlatformApiException e) when (e.IsAuthError)
            {
                // The token was refused before its expiry (revoked, rotated elsewhere): refresh once and go again.
                token = await accounts.GetAccessTokenAsync(accountId, force: true, cancellationToken);
                await connector.SyncAsync(token, sink, cancellationToken);
            }
        }
        catch (ReauthRequiredException e)
        {
            error = "reauth_required: " + e.Message;
        }
        catch (PlatformApiException e)
        {
            error = e.Message;
        }
        catch (Exception e) when (PlatformFailures.IsTransient(e) || e is System.Text.Json.JsonException)
        {
            error = $"{account.Platform.ToWire()} {PlatformFailures.Describe(e)}; the next sync tries again.";
        }
        finally
        {
            if (sink.Records > 0)
            {
                await PublishOwnPostsAsync(account, cancellationToken);
            }

            await sink.FinishAsync(error, Now.AddHours(options.CurrentValue.SyncIntervalHours), CancellationToken.None);
        }

        if (error is null)
        {
            logger.LogInformation("Synced {Platform} account {AccountId}: {Records} records, {Quota} quota", account.Platform.ToWire(), accountId, sink.Records, sink.QuotaUsed);
        }
        else
        {
            logger.LogWarning("Sync of {Platform} account {AccountId} ended with an error after {Records} records: {Error}", account.Platform.ToWire(), accountId, sink.Records, error);
        }

        return runId;
    }

    /// <summary>
    /// Own-post outlier alerts (SPEC §11) are judged where the posts arrive: this account's syncs never
    /// overlap (<see cref="IIngestionRuns.StartAsync"/> refuses a second running run, on any node), and a
    /// stored firing is what keeps a post from firing twice. A failing alert path never fails the sync.
    /// </summary>
    private async Task PublishOwnPostsAsync(StoredLink account, CancellationToken cancellationToken)
    {
        foreach (var alerts in ownPostAlerts)
        {
            try
            {
                await alerts.PostsSyncedAsync(account.UserId, account.Id, Now, cancellationToken);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Own-post alerts of {Platform} account {AccountId} were not evaluated", account.Platform.ToWire(), account.Id);
            }
        }
    }

    /// <summary>Writes each page through <see cref="IIngestionRuns"/> as it arrives and keeps the run's counters.</summary>
    private sealed class StoreSyncSink(IIngestionRuns runs, long runId, StoredLink account, int budget, TimeProvider clock) : ISyncSink
    {
        private FetchedProfile? profile;

        public int Records { get; private set; }

        public int QuotaUsed { get; private set; }

        public async Task ChargeAsync(int units, CancellationToken cancellationToken)
        {
            if (QuotaUsed + units > budget)
            {
                throw new PlatformApiException(account.Platform, HttpStatusCode.TooManyRequests, "daily_quota_exhausted",
                    "The account's daily API quota is used up; the next scheduled sync continues.", isQuotaError: true);
            }

            QuotaUsed += units;
            await Task.CompletedTask;
        }

        public async Task SaveProfileAsync(FetchedProfile fetched, CancellationToken cancellationToken)
        {
            profile = fetched;
            await runs.SaveProfileAsync(account.Id, fetched, cancellationToken);
        }

        public async Task SavePageAsync(IReadOnlyList<FetchedPost> posts, CancellationToken cancellationToken)
        {
            Records += posts.Count;
            await runs.SavePageAsync(runId, account, posts, Records, QuotaUsed, clock.GetUtcNow().UtcDateTime, cancellationToken);
        }

        public async Task FinishAsync(string? error, DateTime nextSync, CancellationToken cancellationToken)
        {
            var status = error is null ? IngestionStatus.Succeeded : Records > 0 || profile is not null ? IngestionStatus.Partial : IngestionStatus.Failed;
            await runs.FinishAsync(runId, account, new IngestionRunEnd(Records, QuotaUsed, status, error,
                TakeSnapshot: profile is not null || Records > 0, profile?.Followers, nextSync, clock.GetUtcNow().UtcDateTime), cancellationToken);
        }
    }
}
