using Terminal.Core.LinkedAccounts;

namespace Terminal.Data.LinkedAccounts;

/// <summary>EF implementation of <see cref="IIngestionRuns"/>.</summary>
public sealed class IngestionRunStore(TerminalDatabase database) : IIngestionRuns
{
    public async Task<(long RunId, int QuotaUsedToday)?> StartAsync(StoredLink link, string trigger, DateTime now, DateTime staleBefore, DateTime quotaDayStart,
        CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        if (await db.IngestionRuns.AnyAsync(r => r.PlatformAccountId == link.Id && r.Status == IngestionStatus.Running && r.StartedAt > staleBefore, cancellationToken))
        {
            return null;
        }

        var usedToday = await db.IngestionRuns.Where(r => r.UserId == link.UserId && r.Platform == link.Platform && r.StartedAt >= quotaDayStart)
            .SumAsync(r => r.QuotaUsed, cancellationToken);
        var run = new IngestionRun { UserId = link.UserId, Platform = link.Platform, PlatformAccountId = link.Id, Trigger = trigger, StartedAt = now, Status = IngestionStatus.Running };
        db.IngestionRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return (run.Id, usedToday);
    }

    public async Task SaveProfileAsync(long linkId, FetchedProfile profile, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.PlatformAccounts.Where(a => a.Id == linkId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.ExternalId, a => profile.ExternalId ?? a.ExternalId)
            .SetProperty(a => a.DisplayName, a => profile.DisplayName ?? a.DisplayName), cancellationToken);
    }

    public async Task SavePageAsync(long runId, StoredLink link, IReadOnlyList<FetchedPost> posts, int records, int quotaUsed, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var ids = posts.Select(p => p.ExternalId).ToList();
        var existing = await db.PlatformPosts.Where(p => p.PlatformAccountId == link.Id && ids.Contains(p.ExternalId)).ToDictionaryAsync(p => p.ExternalId, cancellationToken);
        var saved = new List<PlatformPost>();
        foreach (var post in posts.DistinctBy(p => p.ExternalId))
        {
            if (!existing.TryGetValue(post.ExternalId, out var row))
            {
                row = new PlatformPost { UserId = link.UserId, PlatformAccountId = link.Id, Platform = link.Platform, ExternalId = post.ExternalId };
                db.PlatformPosts.Add(row);
            }

            saved.Add(row);

            row.Title = post.Title.Length <= 500 ? post.Title : post.Title[..500];
            row.PublishedAt = post.PublishedAt;
            row.Url = post.Url is { Length: <= 1000 } ? post.Url : null;
            row.Views = post.Views;
            row.Likes = post.Likes;
            row.Comments = post.Comments;
            row.Shares = post.Shares;
            row.Saves = post.Saves;
            row.Reach = post.Reach;
            row.Format = post.Format ?? row.Format;
            row.DurationSeconds = post.DurationSeconds ?? row.DurationSeconds;
            row.FetchedAt = at;
        }

        // The counters are saved with the page they count (one SaveChanges, one statement batch).
        var run = db.IngestionRuns.Attach(new IngestionRun { Id = runId, UserId = link.UserId });
        run.Entity.Records = records;
        run.Entity.QuotaUsed = quotaUsed;
        run.Property(r => r.Records).IsModified = true;
        run.Property(r => r.QuotaUsed).IsModified = true;
        await db.SaveChangesAsync(cancellationToken);

        // A reading per post per sync (SPEC §10: views at a fixed age come from these).
        await Insights.PostSnapshotStore.AppendAsync(db, saved, at, cancellationToken);
    }

    public async Task FinishAsync(long runId, StoredLink link, IngestionRunEnd end, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        if (end.TakeSnapshot)
        {
            var posts = db.PlatformPosts.Where(p => p.PlatformAccountId == link.Id);
            db.AccountSnapshots.Add(new AccountSnapshot
            {
                PlatformAccountId = link.Id,
                UserId = link.UserId,
                Platform = link.Platform,
                At = end.At,
                Followers = end.Followers,
                Views = await posts.SumAsync(p => p.Views, cancellationToken),
                Likes = await posts.SumAsync(p => p.Likes, cancellationToken),
                Comments = await posts.SumAsync(p => p.Comments, cancellationToken),
                Shares = await posts.SumAsync(p => p.Shares, cancellationToken),
            });
        }

        var run = db.IngestionRuns.Attach(new IngestionRun { Id = runId, UserId = link.UserId });
        run.Entity.Records = end.Records;
        run.Entity.QuotaUsed = end.QuotaUsed;
        run.Entity.FinishedAt = end.At;
        run.Entity.Errors = end.Error is null ? 0 : 1;
        run.Entity.Error = end.Error is null ? null : end.Error.Length <= 1000 ? end.Error : end.Error[..1000];
        run.Entity.Status = end.Status;
        foreach (var property in new[] { nameof(IngestionRun.Records), nameof(IngestionRun.QuotaUsed), nameof(IngestionRun.FinishedAt),
            nameof(IngestionRun.Errors), nameof(IngestionRun.Error), nameof(IngestionRun.Status) })
        {
            run.Property(property).IsModified = true;
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.PlatformAccounts.Where(a => a.Id == link.Id && a.Status == LinkStatus.Connected).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.LastSyncAt, end.At)
            .SetProperty(a => a.NextSyncAt, end.NextSyncAt), cancellationToken);
    }

    public async Task CloseStaleAsync(DateTime staleBefore, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.IngestionRuns.Where(r => r.Status == IngestionStatus.Running && r.StartedAt < staleBefore).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, r => r.Records > 0 ? IngestionStatus.Partial : IngestionStatus.Failed)
            .SetProperty(r => r.Errors, r => r.Errors + 1)
            .SetProperty(r => r.Error, "Interrupted: the process stopped during the run.")
            .SetProperty(r => r.FinishedAt, now), cancellationToken);
    }
}
