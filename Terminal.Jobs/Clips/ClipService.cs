using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Core.Common;
using Terminal.Core.Credits;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Data.Credits;

namespace Terminal.Jobs.Clips;

/// <summary>
/// Clip requests and their state changes (SPEC §4). Every change that moves credits — the request and
/// its charge, a failure or cancellation and its refund, a retry and its new charge — is one
/// transaction, and each change is conditional on the state it leaves, so a cancel racing a finish
/// cannot both win.
/// </summary>
public sealed class ClipService(
    IDbContextFactory<TerminalDbContext> dbFactory,
    TerminalDatabase database,
    ClipQueue queue,
    IClipProgressNotifier notifier,
    TimeProvider time,
    IOptions<ClipOptions> options)
{
    private static readonly ClipStatus[] Unfinished = [ClipStatus.Pending, ClipStatus.Processing];

    /// <summary>Validates, charges and stores a request, then queues its job. 404 unknown VOD, 409 VOD not ready, 400 bad range, 402 short of credits.</summary>
    public async Task<ClipRequest> RequestAsync(string userId, Guid vodId, double startSeconds, double endSeconds, ClipMode mode, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var vod = await db.Vods.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vodId, cancellationToken)
            ?? throw TerminalException.NotFound("vod_not_found", "No VOD has that id.");
        EnsureReady(vod);
        var range = ClipRange.Create(startSeconds, endSeconds, vod.DurationSeconds!.Value);

        var now = time.GetUtcNow().UtcDateTime;
        var request = new ClipRequest
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            VodId = vodId,
            StartSeconds = range.Start,
            EndSeconds = range.End,
            Mode = mode,
            Status = ClipStatus.Pending,
            Credits = range.Cost,
            Charges = 1,
            CreatedAt = now,
        };

        await database.InTransactionAsync(IsolationLevel.Serializable, async (tdb, ct) =>
        {
            await CreditLedger.ChargeAsync(tdb, userId, request.Credits, ChargeReference(request), now, ct);
            tdb.ClipRequests.Add(request);
            await tdb.SaveChangesAsync(ct);
        }, cancellationToken);

        await queue.EnqueueClipAsync(request.Id, cancellationToken: cancellationToken);
        return request;
    }

    /// <summary>The request if <paramref name="userId"/> owns it (any request when null: admins); else 404, so ids of others reveal nothing.</summary>
    public async Task<ClipRequest> GetAsync(Guid requestId, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FindAsync(db, requestId, userId, cancellationToken);
    }

    public async Task<IReadOnlyList<ClipRequest>> ListForUserAsync(string userId, Guid? vodId, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ClipRequests.AsNoTracking().Where(c => c.UserId == userId);
        if (vodId is { } id)
        {
            query = query.Where(c => c.VodId == id);
        }

        return await query.OrderByDescending(c => c.CreatedAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
    }

    /// <summary>The queue for ADMIN, newest first.</summary>
    public async Task<IReadOnlyList<ClipRequest>> ListAllAsync(ClipStatus? status, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ClipRequests.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(c => c.Status == s);
        }

        return await query.OrderByDescending(c => c.CreatedAt).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
    }

    /// <summary>Cancels a pending or running request and refunds it. 404 unknown/others', 409 already finished.</summary>
    public async Task<ClipRequest> CancelAsync(Guid requestId, string? userId, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var request = await FindAsync(db, requestId, userId, cancellationToken);
            if (request.IsFinal)
            {
                throw TerminalException.Conflict("clip_finished", $"The clip is already {request.Status.ToString().ToLowerInvariant()}.");
            }

            if (!await FinishAsync(db, request, Unfinished, ClipStatus.Cancelled, "Cancelled.", refund: true, cancellationToken))
            {
                throw TerminalException.Conflict("clip_finished", "The clip finished meanwhile.");
            }
        }

        queue.SignalCancel(requestId);
        await queue.UnscheduleClipAsync(requestId, cancellationToken);
        var after = await GetAsync(requestId, userId, cancellationToken);
        await NotifyAsync(after, cancellationToken);
        return after;
    }

    /// <summary>Runs a failed or cancelled request again, charging it again. 409 unless failed or cancelled.</summary>
    public async Task<ClipRequest> RetryAsync(Guid requestId, string? userId, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var request = await FindAsync(db, requestId, userId, cancellationToken);
            if (request.Status is not (ClipStatus.Failed or ClipStatus.Cancelled))
            {
                throw TerminalException.Conflict("clip_not_retryable", "Only failed or cancelled clips can be retried.");
            }

            var vod = await db.Vods.AsNoTracking().FirstAsync(v => v.Id == request.VodId, cancellationToken);
            EnsureReady(vod);
            var now = time.GetUtcNow().UtcDateTime;
            await database.InTransactionAsync(IsolationLevel.Serializable, async (tdb, ct) =>
            {
                var tracked = await tdb.ClipRequests.FirstAsync(c => c.Id == requestId, ct);
                if (tracked.Status is not (ClipStatus.Failed or ClipStatus.Cancelled))
                {
                    throw TerminalException.Conflict("clip_not_retryable", "Only failed or cancelled clips can be retried.");
                }

                tracked.Charges++;
                tracked.Credits = CreditRules.CostOf(tracked.DurationSeconds);
                await CreditLedger.ChargeAsync(tdb, tracked.UserId, tracked.Credits, ChargeReference(tracked), now, ct);
                tracked.Status = ClipStatus.Pending;
                tracked.Progress = 0;
                tracked.Error = null;
                tracked.Worker = null;
                tracked.Attempts = 0;
                tracked.StartedAt = null;
                tracked.CompletedAt = null;
                await tdb.SaveChangesAsync(ct);
            }, cancellationToken);
        }

        await queue.EnqueueClipAsync(requestId, cancellationToken: cancellationToken);
        var after = await GetAsync(requestId, userId, cancellationToken);
        await NotifyAsync(after, cancellationToken);
        return after;
    }

    /// <summary>A rough finish time: the clips queued ahead of it, spread over the workers, plus its own cut.</summary>
    public async Task<DateTime> EstimateCompletionAsync(ClipRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ahead = await db.ClipRequests.CountAsync(c => Unfinished.Contains(c.Status) && c.CreatedAt < request.CreatedAt, cancellationToken);
        var own = EstimateSeconds(request);
        var queued = ahead * 10.0 / options.Value.MaxConcurrentJobs;
        return request.CreatedAt.AddSeconds(Math.Ceiling(own + queued));
    }

    /// <summary>Seconds a cut takes here, roughly (stream copy is near-instant; re-encode is a fraction of real time).</summary>
    public static double EstimateSeconds(ClipRequest request) =>
        request.Mode == ClipMode.Fast ? 2 : 2 + request.DurationSeconds * 0.25;

    /// <summary>
    /// Moves <paramref name="request"/> from one of <paramref name="from"/> to a final status, refunding it
    /// in the same transaction when asked. False when it was no longer in one of <paramref name="from"/>.
    /// </summary>
    internal async Task<bool> FinishAsync(TerminalDbContext db, ClipRequest request, ClipStatus[] from, ClipStatus to, string? error, bool refund, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var message = error is { Length: > 1000 } ? error[..1000] : error;
        return await database.InTransactionAsync(IsolationLevel.Serializable, async (tdb, ct) =>
        {
            var changed = await tdb.ClipRequests
                .Where(c => c.Id == request.Id && from.Contains(c.Status))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, to).SetProperty(c => c.Error, message).SetProperty(c => c.CompletedAt, now), ct);
            if (changed == 0)
            {
                return false;
            }

            if (refund && request.Credits > 0)
            {
                var reference = ChargeReference(request);
                if (!await tdb.CreditLedger.AnyAsync(e => e.UserId == request.UserId && e.Reason == CreditReason.ClipRefund && e.Reference == reference, ct))
                {
                    tdb.CreditLedger.Add(new CreditEntry { UserId = request.UserId, Amount = request.Credits, Reason = CreditReason.ClipRefund, Reference = reference, At = now });
                    await tdb.SaveChangesAsync(ct);
                }
            }

            return true;
        }, cancellationToken);
    }

    public Task NotifyAsync(ClipRequest request, CancellationToken cancellationToken = default) =>
        notifier.NotifyAsync(request.UserId, new ClipProgress(request.Id, request.Status, Math.Round(request.Progress, 1)), cancellationToken);

    /// <summary>Ledger reference of the request's current charge (and of its refund).</summary>
    public static string ChargeReference(ClipRequest request) => $"clip:{request.Id:N}:{request.Charges}";

    private static async Task<ClipRequest> FindAsync(TerminalDbContext db, Guid requestId, string? userId, CancellationToken cancellationToken) =>
        await db.ClipRequests.AsNoTracking().FirstOrDefaultAsync(c => c.Id == requestId && (userId == null || c.UserId == userId), cancellationToken)
            ?? throw TerminalException.NotFound("clip_not_found", "No clip request has that id.");

    private static void EnsureReady(Vod vod)
    {
        if (vod.Status != VodStatus.Ready || vod.DurationSeconds is not > 0)
        {
            throw TerminalException.Conflict("vod_not_ready", vod.Status == VodStatus.Failed
                ? $"The VOD failed to load: {vod.Error}"
                : "The VOD is still being probed; try again in a moment.");
        }
    }
}
