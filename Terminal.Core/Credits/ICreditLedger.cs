namespace Terminal.Core.Credits;

/// <summary>
/// The credit ledger (SPEC §4). The balance is the sum of entries; grants and refunds carry a
/// reference so that applying the same one twice is a no-op.
/// </summary>
public interface ICreditLedger
{
    Task<int> GetBalanceAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Adds a positive entry once per (user, reason, reference). Returns false when it was already applied.</summary>
    Task<bool> GrantAsync(string userId, int amount, CreditReason reason, string? reference, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CreditEntry>> GetEntriesAsync(string userId, int take, CancellationToken cancellationToken = default);

    /// <summary>Each user's newest entry of <paramref name="reason"/> (ADMIN: the last plan change and who made it), by user id.</summary>
    Task<Dictionary<string, CreditEntry>> LatestPerUserAsync(CreditReason reason, CancellationToken cancellationToken = default);
}
