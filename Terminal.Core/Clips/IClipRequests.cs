namespace Terminal.Core.Clips;

/// <summary>
/// The clip-request lifecycle (SPEC §4) as named, guarded transitions: each one changes the row only
/// from the states it names (and, for a worker, only while it holds the lease), and every transition
/// that moves credits does so in the same transaction. A transition that no longer applies answers
/// false (or null) and changes nothing.
/// <code>
/// create+charge → Pending ─claim→ Processing ─complete→ Ready ─expire→ (file gone)
///                 Pending/Processing ─fail+refund→ Failed · ─cancel+refund→ Cancelled
///                 Processing ─requeue→ Pending · Failed/Cancelled ─retry+charge→ Pending
/// </code>
/// </summary>
public interface IClipRequests
{
    /// <summary>Stores a new pending request and its charge in one transaction. Throws 402 (<c>insufficient_credits</c>) when short.</summary>
    Task CreateAndChargeAsync(ClipRequest request, CancellationToken cancellationToken);

    /// <summary>The request if <paramref name="userId"/> owns it (any when null); null otherwise.</summary>
    Task<ClipRequest?> FindAsync(Guid requestId, string? userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ClipRequest>> ListForUserAsync(string userId, Guid? vodId, int take, CancellationToken cancellationToken);

    Task<IReadOnlyList<ClipRequest>> ListAllAsync(ClipStatus? status, int take, CancellationToken cancellationToken);

    /// <summary>Unfinished requests created before <paramref name="before"/> (the queue ahead of one).</summary>
    Task<int> CountUnfinishedBeforeAsync(DateTime before, CancellationToken cancellationToken);

    /// <summary>Ids of pending requests, oldest first (to queue them at start).</summary>
    Task<IReadOnlyList<Guid>> PendingIdsAsync(CancellationToken cancellationToken);

    /// <summary>Pending → Processing for <paramref name="worker"/> with a lease until <paramref name="leaseUntil"/>; counts an attempt.
    /// The claimed row, or null when it was not pending.</summary>
    Task<ClipRequest?> ClaimAsync(Guid requestId, string worker, DateTime leaseUntil, CancellationToken cancellationToken);

    /// <summary>Records progress and renews the lease; false when the worker no longer holds it.</summary>
    Task<bool> ReportProgressAsync(Guid requestId, string worker, double percent, DateTime leaseUntil, CancellationToken cancellationToken);

    /// <summary>Processing (held by <paramref name="worker"/>) → Ready with its file, the strategy it was cut with and why an exact
    /// clip fell back to a full re-encode (cut to <see cref="ClipRequest.FallbackReasonMaxLength"/>); false when it was cancelled or taken back meanwhile.</summary>
    Task<bool> CompleteAsync(Guid requestId, string worker, string outputFile, long outputBytes, DateTime completedAt, DateTime expiresAt, CancellationToken cancellationToken, ClipCutStrategy? strategy = null, string? fallbackReason = null);

    /// <summary>Pending/Processing → Failed and the current charge refunded (once); false when already final.</summary>
    Task<bool> FailAndRefundAsync(Guid requestId, string error, CancellationToken cancellationToken);

    /// <summary>Pending/Processing → Cancelled and the current charge refunded (once); false when already final.
    /// <paramref name="reason"/> (who cancelled, <see cref="ClipCancellation"/>) is stored as the request's error.</summary>
    Task<bool> CancelAndRefundAsync(Guid requestId, CancellationToken cancellationToken, string reason = "Cancelled.");

    /// <summary>Failed/Cancelled → Pending with a new charge (402 when short); false when not failed or cancelled.</summary>
    Task<bool> RetryAndChargeAsync(Guid requestId, CancellationToken cancellationToken);

    /// <summary>Processing (held by <paramref name="worker"/>) → Pending, lease released (a graceful stop); false otherwise.</summary>
    Task<bool> RequeueAsync(Guid requestId, string worker, CancellationToken cancellationToken);

    /// <summary>
    /// Takes back processing rows whose lease expired before <paramref name="now"/> (or that never had one):
    /// those with <paramref name="maxAttempts"/> attempts are failed and refunded, the rest go back to pending.
    /// Live leases are left alone. Returns the ids taken back.
    /// </summary>
    Task<IReadOnlyList<Guid>> TakeBackExpiredLeasesAsync(DateTime now, int maxAttempts, CancellationToken cancellationToken);

    /// <summary>Deletes every finished (ready, failed, cancelled) request of <paramref name="userId"/>; returns the output files to delete.
    /// Unfinished ones stay (cancel them first); the number left comes back with the files.</summary>
    Task<(IReadOnlyList<string> Files, int Unfinished)> DeleteFinishedOfUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Forgets the files of ready clips past their expiry; returns the file names to delete.</summary>
    Task<IReadOnlyList<string>> ExpireOutputsAsync(DateTime now, CancellationToken cancellationToken);

    /// <summary>Ledger reference of the request's current charge (and of its refund).</summary>
    static string ChargeReference(ClipRequest request) => $"clip:{request.Id:N}:{request.Charges}";
}
