using System.Data;
using Terminal.Core.Accounts;
using Terminal.Core.Billing;
using Terminal.Core.Credits;
using Terminal.Data.Credits;

namespace Terminal.Data.Billing;

/// <summary>EF implementation of <see cref="IBillingStore"/>.</summary>
public sealed class BillingStore(TerminalDatabase database) : IBillingStore
{
    public async Task<BillingSnapshot?> GetSnapshotAsync(string userId, int ledgerRows, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Plan, u.StripeCustomerId }).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        var subscription = await db.BillingSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        var balance = await CreditLedger.BalanceAsync(db, userId, cancellationToken);
        var entries = await db.CreditLedger.AsNoTracking().Where(e => e.UserId == userId)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(ledgerRows).ToListAsync(cancellationToken);
        return new BillingSnapshot(user.Plan, subscription, balance, entries, !string.IsNullOrEmpty(user.StripeCustomerId));
    }

    public async Task<BillingAccount?> FindAccountAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new BillingAccount(u.Id, u.Email, u.Plan, u.StripeCustomerId, u.StripeSubscriptionId))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<(Plan Plan, int Credits)?> SetPlanAsync(string userId, Plan plan, int grant, string grantReference, DateTime at, string? actorEmail, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        user.Plan = plan;
        var grants = grant > 0 && !await db.CreditLedger.AnyAsync(e => e.UserId == userId && e.Reason == CreditReason.AdminAdjustment && e.Reference == grantReference, cancellationToken);
        // Every change is a ledger row naming who made it (the audit ADMIN and the user read); one
        // without a grant carries 0 credits and a reference of its own.
        db.CreditLedger.Add(new CreditEntry
        {
            UserId = userId, Amount = grants ? grant : 0, Reason = CreditReason.AdminAdjustment,
            Reference = grants ? grantReference : $"{grantReference}:{at.Ticks}", At = at,
            Description = CreditWords.PlanChange(plan, actorEmail, grants ? grant : 0),
        });

        // The plan and its grant are one SaveChanges: both or neither.
        await db.SaveChangesAsync(cancellationToken);
        return (user.Plan, await CreditLedger.BalanceAsync(db, userId, cancellationToken));
    }

    public Task<StripeEventOutcome> ApplyStripeEventOnceAsync(string eventId, string type, DateTime at,
        Func<IStripeEventChanges, CancellationToken, Task<string?>> apply, CancellationToken cancellationToken) =>
        database.InTransactionAsync(IsolationLevel.ReadCommitted, async (db, ct) =>
        {
            // Claim the event first: the insert is the transaction's first write, so a duplicate
            // delivery waits for this one to finish and then fails on the primary key.
            db.ProcessedStripeEvents.Add(new ProcessedStripeEvent { EventId = eventId, Type = type, ProcessedAt = at });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Nothing else was written: the (empty) transaction commits and the event changes nothing.
                return new StripeEventOutcome(AlreadyProcessed: true, UserId: null);
            }

            var userId = await apply(new StripeEventChanges(db), ct);
            await db.SaveChangesAsync(ct);
            return new StripeEventOutcome(AlreadyProcessed: false, userId);
        }, cancellationToken);

    private sealed class StripeEventChanges(TerminalDbContext db) : IStripeEventChanges
    {
        public async Task<IBillableAccount?> FindAccountAsync(string userId, CancellationToken cancellationToken) =>
            await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);

        public async Task<IBillableAccount?> FindAccountByCustomerAsync(string customerId, CancellationToken cancellationToken) =>
            await db.Users.FirstOrDefaultAsync(u => u.StripeCustomerId == customerId, cancellationToken);

        public async Task<BillingSubscription> SubscriptionAsync(string userId, DateTime at, CancellationToken cancellationToken)
        {
            var state = await db.BillingSubscriptions.FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
            if (state is null)
            {
                state = new BillingSubscription { UserId = userId, Status = "incomplete" };
                db.BillingSubscriptions.Add(state);
            }

            state.UpdatedAt = at;
            return state;
        }

        public Task<bool> HasCreditAsync(string userId, CreditReason reason, string reference, CancellationToken cancellationToken) =>
            db.CreditLedger.AnyAsync(e => e.UserId == userId && e.Reason == reason && e.Reference == reference, cancellationToken);

        public void AddCredit(CreditEntry entry) => db.CreditLedger.Add(entry);
    }
}
