using System.Data;
using Terminal.Core.Clips;
using Terminal.Core.Credits;
using Terminal.Data.Credits;

namespace Terminal.Data.Clips;

/// <summary>
/// EF implementation of <see cref="IClipRequests"/>. Every transition is one conditional statement
/// (<c>WHERE Id = … AND Status IN (…)</c>), so of two racing transitions exactly one changes the row;
/// those that move credits run it and the ledger entry in one serializable transaction through
/// <see cref="TerminalDatabase.InTransactionAsync{T}"/>, and a refund is keyed by the charge's
/// reference, so it is written at most once.
/// </summary>
public sealed class ClipRequestStore(TerminalDatabase database, TimeProvider time) : IClipRequests
{
    private static readonly ClipStatus[] Unfinished = [ClipStatus.Pending, ClipStatus.Processing];

    public async Task CreateAndChargeAsync(ClipRequest request, CancellationToken cancellationToken)
    {
        await database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            await CreditLedger.ChargeAsync(db, request.UserId, request.Credits, IClipRequests.ChargeReference(request), request.CreatedAt, ct,
                await ChargeWordsAsync(db, request, ct));
            db.ClipRequests.Add(request);
            await db.SaveChangesAsync(ct);
            db.Entry(request).State = EntityState.Detached; // a retried attempt adds it again on its own context
        }, cancellationToken);
    }

    public async Task<ClipRequest?> FindAsync(Guid requestId, string? userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ClipRequests.AsNoTracking().FirstOrDefaultAsync(c => c.Id == requestId && (userId == null || c.UserId == userId), cancellationToken);
    }

    public async Task<IReadOnlyList<ClipRequest>> ListForUserAsync(string userId, Guid? vodId, int take, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var query = db.ClipRequests.AsNoTracking().Where(c => c.UserId == userId);
        if (vodId is { } id)
        {
            query = query.Where(c => c.VodId == id);
        }

        return await query.OrderByDescending(c => c.CreatedAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ClipRequest>> ListAllAsync(ClipStatus? status, int take, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var query = db.ClipRequests.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(c => c.Status == s);
        }

        return await query.OrderByDescending(c => c.CreatedAt).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
    }

    public async Task<int> CountUnfinishedBeforeAsync(DateTime before, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ClipRequests.CountAsync(c => Unfinished.Contains(c.Status) && c.CreatedAt < before, cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> PendingIdsAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ClipRequests.AsNoTracking().Where(c => c.Status == ClipStatus.Pending).OrderBy(c => c.CreatedAt).Select(c => c.Id).ToListAsync(cancellationToken);
    }

    public async Task<ClipRequest?> ClaimAsync(Guid requestId, string worker, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await database.OpenAsync(cancellationToken);
        var claimed = await db.ClipRequests
            .Where(c => c.Id == requestId && c.Status == ClipStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClipStatus.Processing).SetProperty(c => c.Progress, 0)
                .SetProperty(c => c.StartedAt, now).SetProperty(c => c.Worker, worker).SetProperty(c => c.LeaseExpiresAt, leaseUntil)
                .SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken);
        return claimed == 0 ? null : await db.ClipRequests.AsNoTracking().FirstAsync(c => c.Id == requestId, cancellationToken);
    }

    public async Task<bool> ReportProgressAsync(Guid requestId, string worker, double percent, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ClipRequests.Where(c => c.Id == requestId && c.Status == ClipStatus.Processing && c.Worker == worker)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Progress, percent).SetProperty(c => c.LeaseExpiresAt, leaseUntil), cancellationToken) > 0;
    }

    public async Task<bool> CompleteAsync(Guid requestId, string worker, string outputFile, long outputBytes, DateTime completedAt, DateTime expiresAt, CancellationToken cancellationToken, ClipCutStrategy? strategy = null, string? fallbackReason = null)
    {
        var reason = fallbackReason is { Length: > ClipRequest.FallbackReasonMaxLength } ? fallbackReason[..(ClipRequest.FallbackReasonMaxLength - 1)] + "…" : fallbackReason;
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ClipRequests
            .Where(c => c.Id == requestId && c.Status == ClipStatus.Processing && c.Worker == worker)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClipStatus.Ready).SetProperty(c => c.Progress, 100)
                .SetProperty(c => c.OutputFile, outputFile).SetProperty(c => c.OutputBytes, outputBytes)
                .SetProperty(c => c.CompletedAt, completedAt).SetProperty(c => c.ExpiresAt, expiresAt)
                .SetProperty(c => c.LeaseExpiresAt, (DateTime?)null).SetProperty(c => c.Error, (string?)null)
                .SetProperty(c => c.Strategy, strategy).SetProperty(c => c.FallbackReason, reason), cancellationToken) > 0;
    }

    public Task<bool> FailAndRefundAsync(Guid requestId, string error, CancellationToken cancellationToken) =>
        FinishWithRefundAsync(requestId, ClipStatus.Failed, error, cancellationToken);

    public Task<bool> CancelAndRefundAsync(Guid requestId, CancellationToken cancellationToken, string reason = "Cancelled.") =>
        FinishWithRefundAsync(requestId, ClipStatus.Cancelled, reason, cancellationToken);

    public async Task<bool> RetryAndChargeAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var now = Now;
        return await database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            var tracked = await db.ClipRequests.FirstOrDefaultAsync(c => c.Id == requestId, ct);
            if (tracked is null || tracked.Status is not (ClipStatus.Failed or ClipStatus.Cancelled))
            {
                return false;
            }

            tracked.Charges++;
            tracked.Credits = CreditRules.CostOf(tracked.DurationSeconds);
            await CreditLedger.ChargeAsync(db, tracked.UserId, tracked.Credits, IClipRequests.ChargeReference(tracked), now, ct,
                await ChargeWordsAsync(db, tracked, ct));
            tracked.Status = ClipStatus.Pending;
            tracked.Progress = 0;
            tracked.Error = null;
            tracked.Worker = null;
            tracked.LeaseExpiresAt = null;
            tracked.Attempts = 0;
            tracked.StartedAt = null;
            tracked.CompletedAt = null;
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }

    public async Task<bool> RequeueAsync(Guid requestId, string worker, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ClipRequests.Where(c => c.Id == requestId && c.Status == ClipStatus.Processing && c.Worker == worker)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClipStatus.Pending).SetProperty(c => c.Progress, 0)
                .SetProperty(c => c.Worker, (string?)null).SetProperty(c => c.LeaseExpiresAt, (DateTime?)null), cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<Guid>> TakeBackExpiredLeasesAsync(DateTime now, int maxAttempts, CancellationToken cancellationToken)
    {
        List<ClipRequest> expired;
        await using (var db = await database.OpenAsync(cancellationToken))
        {
            expired = await db.ClipRequests.AsNoTracking()
                .Where(c => c.Status == ClipStatus.Processing && (c.LeaseExpiresAt == null || c.LeaseExpiresAt < now))
                .ToListAsync(cancellationToken);
        }

        var taken = new List<Guid>();
        foreach (var request in expired)
        {
            if (request.Attempts >= maxAttempts)
            {
                if (await FinishWithRefundAsync(request.Id, ClipStatus.Failed, $"Interrupted {request.Attempts} times; the credits were refunded.", cancellationToken, leaseExpiredBefore: now))
                {
                    taken.Add(request.Id);
                }

                continue;
            }

            await using var db = await database.OpenAsync(cancellationToken);
            // Guarded on the lease as read: a worker that renewed it meanwhile keeps its job.
            var reset = await db.ClipRequests
                .Where(c => c.Id == request.Id && c.Status == ClipStatus.Processing && c.Worker == request.Worker && (c.LeaseExpiresAt == null || c.LeaseExpiresAt < now))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClipStatus.Pending).SetProperty(c => c.Progress, 0)
                    .SetProperty(c => c.Worker, (string?)null).SetProperty(c => c.LeaseExpiresAt, (DateTime?)null), cancellationToken);
            if (reset > 0)
            {
                taken.Add(request.Id);
            }
        }

        return taken;
    }

    public async Task<(IReadOnlyList<string> Files, int Unfinished)> DeleteFinishedOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var finished = db.ClipRequests.Where(c => c.UserId == userId && !Unfinished.Contains(c.Status));
        var files = await finished.Where(c => c.OutputFile != null).Select(c => c.OutputFile!).ToListAsync(cancellationToken);
        await finished.ExecuteDeleteAsync(cancellationToken);
        var unfinished = await db.ClipRequests.CountAsync(c => c.UserId == userId, cancellationToken);
        return (files, unfinished);
    }

    public async Task<IReadOnlyList<string>> ExpireOutputsAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var expired = await db.ClipRequests.Where(c => c.OutputFile != null && c.ExpiresAt != null && c.ExpiresAt <= now).ToListAsync(cancellationToken);
        var files = expired.Select(c => c.OutputFile!).ToList();
        foreach (var clip in expired)
        {
            clip.OutputFile = null;
            clip.OutputBytes = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        return files;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The ledger words of a clip's charge: the VOD's title and the range.</summary>
    private static async Task<string> ChargeWordsAsync(TerminalDbContext db, ClipRequest request, CancellationToken cancellationToken)
    {
        var title = await db.Vods.Where(v => v.Id == request.VodId).Select(v => v.Title).FirstOrDefaultAsync(cancellationToken);
        return CreditWords.ClipCharge(title, request.StartSeconds, request.EndSeconds, request.Credits);
    }

    /// <summary>Pending/Processing → <paramref name="to"/> and the current charge refunded, in one transaction.</summary>
    private async Task<bool> FinishWithRefundAsync(Guid requestId, ClipStatus to, string error, CancellationToken cancellationToken, DateTime? leaseExpiredBefore = null)
    {
        var now = Now;
        var message = error.Length > 1000 ? error[..1000] : error;
        return await database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            var query = db.ClipRequests.Where(c => c.Id == requestId && Unfinished.Contains(c.Status));
            if (leaseExpiredBefore is { } before)
            {
                query = query.Where(c => c.Status == ClipStatus.Processing && (c.LeaseExpiresAt == null || c.LeaseExpiresAt < before));
            }

            var changed = await query.ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, to).SetProperty(c => c.Error, message)
                .SetProperty(c => c.CompletedAt, now).SetProperty(c => c.LeaseExpiresAt, (DateTime?)null), ct);
            if (changed == 0)
            {
                return false;
            }

            var request = await db.ClipRequests.AsNoTracking().FirstAsync(c => c.Id == requestId, ct);
            var reference = IClipRequests.ChargeReference(request);
            if (request.Credits > 0 &&
                !await db.CreditLedger.AnyAsync(e => e.UserId == request.UserId && e.Reason == CreditReason.ClipRefund && e.Reference == reference, ct))
            {
                db.CreditLedger.Add(new CreditEntry
                {
                    UserId = request.UserId, Amount = request.Credits, Reason = CreditReason.ClipRefund, Reference = reference, At = now,
                    Description = CreditWords.Refund(cancelled: to == ClipStatus.Cancelled, message),
                });
                await db.SaveChangesAsync(ct);
            }

            return true;
        }, cancellationToken);
    }
}
