namespace Terminal.Core.Billing;

/// <summary>
/// An external API key. Only the SHA-256 of the key is stored; <see cref="Prefix"/> is the first
/// characters of the key, shown in lists so the owner can tell keys apart.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    /// <summary>Lowercase hex SHA-256 of the whole key.</summary>
    public required string Hash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}

/// <summary>A Stripe event already applied; its id is the primary key, so an event applies once.</summary>
public sealed class ProcessedStripeEvent
{
    public required string EventId { get; set; }

    public required string Type { get; set; }

    public DateTime ProcessedAt { get; set; }
}

/// <summary>Subscription state as Stripe last reported it (renewal date, past due).</summary>
public sealed class BillingSubscription
{
    public required string UserId { get; set; }

    /// <summary>Stripe's status: <c>active</c>, <c>trialing</c>, <c>past_due</c>, <c>canceled</c>…</summary>
    public required string Status { get; set; }

    /// <summary>When the current paid period ends (the renewal date).</summary>
    public DateTime? CurrentPeriodEnd { get; set; }

    public bool CancelAtPeriodEnd { get; set; }

    public DateTime UpdatedAt { get; set; }
}
