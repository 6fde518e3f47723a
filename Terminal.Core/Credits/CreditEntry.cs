namespace Terminal.Core.Credits;

/// <summary>Why credits moved. Every grant, charge and refund is one ledger entry.</summary>
public enum CreditReason
{
    StartingGrant = 1,
    MonthlyGrant = 2,
    ClipCharge = 3,
    ClipRefund = 4,
    AdminAdjustment = 5,
}

/// <summary>
/// One line of a user's credit ledger. The balance is never stored: it is the sum of
/// <see cref="Amount"/> over the user's entries.
/// </summary>
public sealed class CreditEntry
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>Positive for grants and refunds, negative for charges.</summary>
    public int Amount { get; set; }

    public CreditReason Reason { get; set; }

    /// <summary>What the entry is about (a clip request id, a Stripe invoice id…). Unique with
    /// <see cref="Reason"/> when set, so a retried grant or refund is applied once.</summary>
    public string? Reference { get; set; }

    public DateTime At { get; set; }

    /// <summary>The entry in words, written with it (<see cref="CreditWords"/>): which clip, who cancelled,
    /// who changed the plan. Null on entries from before it existed, which read by <see cref="Reason"/>.</summary>
    public string? Description { get; set; }
}
