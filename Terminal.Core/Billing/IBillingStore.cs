using Terminal.Core.Accounts;
using Terminal.Core.Credits;

namespace Terminal.Core.Billing;

/// <summary>An account's billing side as stored.</summary>
public sealed record BillingAccount(string UserId, string? Email, Plan Plan, string? StripeCustomerId, string? StripeSubscriptionId);

/// <summary>What the ACCT billing tab reads about one account.</summary>
public sealed record BillingSnapshot(Plan Plan, BillingSubscription? Subscription, int Credits, IReadOnlyList<CreditEntry> Ledger, bool HasStripeCustomer);

/// <summary>How a Stripe event's delivery ended in the store: already processed, or applied (to an account, or to none).</summary>
public sealed record StripeEventOutcome(bool AlreadyProcessed, string? UserId);

/// <summary>The billing fields of an account, changed by a Stripe event inside the event's transaction.</summary>
public interface IBillableAccount
{
    string Id { get; }

    Plan Plan { get; set; }

    string? StripeCustomerId { get; set; }

    string? StripeSubscriptionId { get; set; }
}

/// <summary>
/// What a Stripe event's effects are applied through: everything read here is tracked and saved with the
/// event's claim in one transaction.
/// </summary>
public interface IStripeEventChanges
{
    Task<IBillableAccount?> FindAccountAsync(string userId, CancellationToken cancellationToken);

    Task<IBillableAccount?> FindAccountByCustomerAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>The account's subscription state (created as <c>incomplete</c> when there is none), stamped as updated at <paramref name="at"/>.</summary>
    Task<BillingSubscription> SubscriptionAsync(string userId, DateTime at, CancellationToken cancellationToken);

    Task<bool> HasCreditAsync(string userId, CreditReason reason, string reference, CancellationToken cancellationToken);

    void AddCredit(CreditEntry entry);
}

/// <summary>Plans, subscriptions and the Stripe event log: billing's questions and state changes.</summary>
public interface IBillingStore
{
    /// <summary>The account's plan, subscription, balance and latest <paramref name="ledgerRows"/> ledger entries; null when there is no such account.</summary>
    Task<BillingSnapshot?> GetSnapshotAsync(string userId, int ledgerRows, CancellationToken cancellationToken);

    Task<BillingAccount?> FindAccountAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the account's plan and, when <paramref name="grant"/> is positive, adds that admin grant once per
    /// <paramref name="grantReference"/>. Every change is recorded as a ledger row in words naming <paramref name="actorEmail"/>
    /// (0 credits when nothing is granted). Returns the new plan and balance, or null when there is no such account.
    /// </summary>
    Task<(Plan Plan, int Credits)?> SetPlanAsync(string userId, Plan plan, int grant, string grantReference, DateTime at, string? actorEmail, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a Stripe event exactly once: the event id is claimed as the transaction's first write, then
    /// <paramref name="apply"/> changes what it needs and everything commits together. A replay (or a
    /// concurrent duplicate delivery) hits the event's primary key and changes nothing.
    /// <paramref name="apply"/> returns the account it changed, or null.
    /// </summary>
    Task<StripeEventOutcome> ApplyStripeEventOnceAsync(string eventId, string type, DateTime at,
        Func<IStripeEventChanges, CancellationToken, Task<string?>> apply, CancellationToken cancellationToken);
}
