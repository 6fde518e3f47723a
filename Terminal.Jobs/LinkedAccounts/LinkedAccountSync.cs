using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Data.LinkedAccounts;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>
/// One sync of one linked account: a recorded <see cref="IngestionRun"/>, a fresh token, the platform's
/// connector writing each page as it arrives, and an account snapshot at the end — also after an error,
/// so what was fetched before the error is kept and counted.
/// </summary>
public sealed class LinkedAccountSync(
    IDbContextFactory<TerminalDbContext> dbFactory,
    LinkedAccountService accounts,
    IEnumerable<PlatformConnector> connectors,
    IOptionsMonitor<LinkedAccountOptions> options,
    TimeProvider clock,
    ILogger<LinkedAccountSync> logger)
{
    /// <summary>A run still "running" after this long was cut off by a stopped process.</summary>
    public static readonly TimeSpan StaleRunAge = TimeSpan.FromMinutes(30);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <returns>The run's id, or null when nothing ran (not connected, or a run is already going).</returns>
    public async Task<long?> RunAsync(long accountId, string trigger, CancellationToken cancellationToken)
    {
        IngestionRun run;
        PlatformAccount account;
        int usedToday;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            account = (await db.PlatformAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken))!;
            if (account is not { Status: LinkStatus.Connected })
            {
                return null;
            }

            var staleBefore = Now - StaleRunAge;
            if (await db.IngestionRuns.AnyAsync(r => r.PlatformAccountId == accountId && r.Status == IngestionStatus.Running && r.StartedAt > staleBefore, cancellationToken))
            {
                return null;
            }

            // REVIEW: Google resets Data API quota at midnight Pacific time; we account per UTC day, which can
            // only be stricter by the offset's worth of a day, never looser over 24 h.
            var today = Now.Date;
            usedToday = await db.IngestionRuns.Where(r => r.UserId == account.UserId && r.Platform == account.Platform && r.StartedAt >= today)
                .SumAsync(r => r.QuotaUsed, cancellationToken);
            run = new IngestionRun { UserId = account.UserId, Platform = account.Platform, PlatformAccountId = accountId, Trigger = trigger, StartedAt = Now, Status = IngestionStatus.Running };
            db.IngestionRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        var connector = connectors.First(c => c.Platform == account.Platform);
        var budget = account.Platform == Platform.YouTube ? options.CurrentValue.YouTubeDailyQuotaUnits - usedToday : int.MaxValue;
        var sink = new DbSyncSink(dbFactory, run, account, budget, clock);
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
            await sink.FinishAsync(error, Now.AddHours(options.CurrentValue.SyncIntervalHours), CancellationToken.None);
        }

        if (error is null)
        {
            logger.LogInformation("Synced {Platform} account {AccountId}: {Records} records, {Quota} quota", account.Platform.ToWire(), accountId, run.Records, run.QuotaUsed);
        }
        else
        {
            logger.LogWarning("Sync of {Platform} account {AccountId} ended with an error after {Records} records: {Error}", account.Platform.ToWire(), accountId, run.Records, error);
        }

        return run.Id;
    }

    private sealed class DbSyncSink(IDbContextFactory<TerminalDbContext> dbFactory, IngestionRun run, PlatformAccount account, int budget, TimeProvider clock) : ISyncSink
    {
        private FetchedProfile? profile;

        public async Task ChargeAsync(int units, CancellationToken cancellationToken)
        {
            if (run.QuotaUsed + units > budget)
            {
                throw new PlatformApiException(account.Platform, HttpStatusCode.TooManyRequests, "daily_quota_exhausted",
                    "The account's daily API quota is used up; the next scheduled sync continues.", isQuotaError: true);
            }

            run.QuotaUsed += units;
            await Task.CompletedTask;
        }

        public async Task SaveProfileAsync(FetchedProfile fetched, CancellationToken cancellationToken)
        {
            profile = fetched;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.PlatformAccounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.ExternalId, a => fetched.ExternalId ?? a.ExternalId)
                .SetProperty(a => a.DisplayName, a => fetched.DisplayName ?? a.DisplayName), cancellationToken);
        }

        public async Task SavePageAsync(IReadOnlyList<FetchedPost> posts, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var ids = posts.Select(p => p.ExternalId).ToList();
            var existing = await db.PlatformPosts.Where(p => p.PlatformAccountId == account.Id && ids.Contains(p.ExternalId)).ToDictionaryAsync(p => p.ExternalId, cancellationToken);
            foreach (var post in posts.DistinctBy(p => p.ExternalId))
            {
                if (!existing.TryGetValue(post.ExternalId, out var row))
                {
                    row = new PlatformPost { UserId = account.UserId, PlatformAccountId = account.Id, Platform = account.Platform, ExternalId = post.ExternalId };
                    db.PlatformPosts.Add(row);
                }

                row.Title = post.Title.Length <= 500 ? post.Title : post.Title[..500];
                row.PublishedAt = post.PublishedAt;
                row.Url = post.Url is { Length: <= 1000 } ? post.Url : null;
                row.Views = post.Views;
                row.Likes = post.Likes;
                row.Comments = post.Comments;
                row.Shares = post.Shares;
                row.Saves = post.Saves;
                row.Reach = post.Reach;
                row.FetchedAt = now;
            }

            run.Records += posts.Count;
            var tracked = db.IngestionRuns.Attach(run);
            tracked.Property(r => r.Records).IsModified = true;
            tracked.Property(r => r.QuotaUsed).IsModified = true;
            await db.SaveChangesAsync(cancellationToken);
        }

        public async Task FinishAsync(string? error, DateTime nextSync, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var posts = db.PlatformPosts.Where(p => p.PlatformAccountId == account.Id);
            if (profile is not null || run.Records > 0)
            {
                db.AccountSnapshots.Add(new AccountSnapshot
                {
                    PlatformAccountId = account.Id,
                    UserId = account.UserId,
                    Platform = account.Platform,
                    At = now,
                    Followers = profile?.Followers,
                    Views = await posts.SumAsync(p => p.Views, cancellationToken),
                    Likes = await posts.SumAsync(p => p.Likes, cancellationToken),
                    Comments = await posts.SumAsync(p => p.Comments, cancellationToken),
                    Shares = await posts.SumAsync(p => p.Shares, cancellationToken),
                });
            }

            run.FinishedAt = now;
            run.Errors = error is null ? 0 : 1;
            run.Error = error is null ? null : error.Length <= 1000 ? error : error[..1000];
            run.Status = error is null ? IngestionStatus.Succeeded : run.Records > 0 || profile is not null ? IngestionStatus.Partial : IngestionStatus.Failed;
            db.IngestionRuns.Update(run);
            await db.SaveChangesAsync(cancellationToken);
            await db.PlatformAccounts.Where(a => a.Id == account.Id && a.Status == LinkStatus.Connected).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.LastSyncAt, now)
                .SetProperty(a => a.NextSyncAt, nextSync), cancellationToken);
        }
    }
}
