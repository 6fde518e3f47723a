using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Core.Common;
using Terminal.Core.Market;

namespace Terminal.Jobs.Clips;

/// <summary>
/// What the API and the screens ask of clip requests (SPEC §4): validation and answers in the
/// product's errors, over the guarded transitions of <see cref="IClipRequests"/>, plus what follows a
/// transition outside the database (queueing the job, stopping a running cut, telling the owner).
/// </summary>
public sealed class ClipService(
    IVods vods,
    IClipRequests requests,
    ClipQueue queue,
    IClipProgressNotifier notifier,
    TimeProvider time,
    IOptions<ClipOptions> options)
{
    /// <summary>Validates, charges and stores a request, then queues its job. 404 unknown VOD, 409 VOD not ready, 400 bad range, 402 short of credits.</summary>
    public async Task<ClipRequest> RequestAsync(string userId, Guid vodId, double startSeconds, double endSeconds, ClipMode mode, CancellationToken cancellationToken = default)
    {
        var vod = await vods.FindAsync(vodId, cancellationToken)
            ?? throw TerminalException.NotFound("vod_not_found", "No VOD has that id.");
        EnsureReady(vod);
        var range = ClipRange.Create(startSeconds, endSeconds, vod.DurationSeconds!.Value);

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
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };

        await requests.CreateAndChargeAsync(request, cancellationToken);
        await queue.EnqueueClipAsync(request.Id, cancellationToken: cancellationToken);
        return request;
    }

    /// <summary>The request if <paramref name="userId"/> owns it (any request when null: admins); else 404, so ids of others reveal nothing.</summary>
    public async Task<ClipRequest> GetAsync(Guid requestId, string? userId, CancellationToken cancellationToken = default) =>
        await requests.FindAsync(requestId, userId, cancellationToken)
            ?? throw TerminalException.NotFound("clip_not_found", "No clip request has that id.");

    public Task<IReadOnlyList<ClipRequest>> ListForUserAsync(string userId, Guid? vodId, int take, CancellationToken cancellationToken = default) =>
        requests.ListForUserAsync(userId, vodId, take, cancellationToken);

    /// <summary>The queue for ADMIN, newest first.</summary>
    public Task<IReadOnlyList<ClipRequest>> ListAllAsync(ClipStatus? status, int take, CancellationToken cancellationToken = default) =>
        requests.ListAllAsync(status, take, cancellationToken);

    /// <summary>
    /// Cancels a pending or running request and refunds it. 404 unknown/others', 409 already finished.
    /// <paramref name="userId"/> null means an administrator cancels it.
    /// </summary>
    public Task<ClipRequest> CancelAsync(Guid requestId, string? userId, CancellationToken cancellationToken = default) =>
        CancelAsync(requestId, userId, adminEmail: null, cancellationToken);

    /// <summary>
    /// As <see cref="CancelAsync(Guid, string?, CancellationToken)"/>; <paramref name="adminEmail"/> names the administrator
    /// when <paramref name="userId"/> is null. The owner is told who cancelled, with the new state (their screens then read the refunded balance).
    /// </summary>
    public async Task<ClipRequest> CancelAsync(Guid requestId, string? userId, string? adminEmail, CancellationToken cancellationToken)
    {
        var request = await GetAsync(requestId, userId, cancellationToken);
        if (request.IsFinal)
        {
            throw TerminalException.Conflict("clip_finished", $"The clip is already {request.Status.ToString().ToLowerInvariant()}.");
        }

        var reason = userId is null ? ClipCancellation.ByAdministrator(adminEmail) : ClipCancellation.ByOwner;
        if (!await requests.CancelAndRefundAsync(requestId, cancellationToken, reason))
        {
            throw TerminalException.Conflict("clip_finished", "The clip finished meanwhile.");
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
        var request = await GetAsync(requestId, userId, cancellationToken);
        if (request.Status is not (ClipStatus.Failed or ClipStatus.Cancelled))
        {
            throw TerminalException.Conflict("clip_not_retryable", "Only failed or cancelled clips can be retried.");
        }

        var vod = await vods.FindAsync(request.VodId, cancellationToken)
            ?? throw TerminalException.NotFound("vod_not_found", "No VOD has that id.");
        EnsureReady(vod);
        if (!await requests.RetryAndChargeAsync(requestId, cancellationToken))
        {
            throw TerminalException.Conflict("clip_not_retryable", "Only failed or cancelled clips can be retried.");
        }

        await queue.EnqueueClipAsync(requestId, cancellationToken: cancellationToken);
        var after = await GetAsync(requestId, userId, cancellationToken);
        await NotifyAsync(after, cancellationToken);
        return after;
    }

    /// <summary>A rough finish time: the clips queued ahead of it, spread over the workers, plus its own cut.</summary>
    public async Task<DateTime> EstimateCompletionAsync(ClipRequest request, CancellationToken cancellationToken = default)
    {
        var ahead = await requests.CountUnfinishedBeforeAsync(request.CreatedAt, cancellationToken);
        var own = EstimateSeconds(request);
        var queued = ahead * 10.0 / options.Value.MaxConcurrentJobs;
        return request.CreatedAt.AddSeconds(Math.Ceiling(own + queued));
    }

    /// <summary>Seconds a cut takes here, roughly (stream copy is near-instant; re-encode is a fraction of real time).</summary>
    public static double EstimateSeconds(ClipRequest request) =>
        request.Mode == ClipMode.Fast ? 2 : 2 + request.DurationSeconds * 0.25;

    public Task NotifyAsync(ClipRequest request, CancellationToken cancellationToken = default) =>
        notifier.NotifyAsync(request.UserId, new ClipProgress(request.Id, request.Status, Math.Round(request.Progress, 1)), cancellationToken);

    /// <summary>Ledger reference of the request's current charge (and of its refund).</summary>
    public static string ChargeReference(ClipRequest request) => IClipRequests.ChargeReference(request);

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
