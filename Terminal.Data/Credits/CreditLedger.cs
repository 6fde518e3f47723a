using Terminal.Core.Common;
using Terminal.Core.Credits;

namespace Terminal.Data.Credits;

/// <summary>EF implementation of <see cref="ICreditLedger"/>, plus the in-transaction charge used by clip requests.</summary>
public sealed class CreditLedger(IDbContextFactory<TerminalDbContext> dbFactory, TimeProvider time) : ICreditLedger
{
    public async Task<int> GetBalanceAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await BalanceAsync(db, userId, cancellationToken);
    }

    public async Task<bool> GrantAsync(string userId, int amount, CreditReason reason, string? reference, CancellationToken cancellationToken = default)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A grant is positive.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (reference is not null &&
            await db.CreditLedger.AnyAsync(e => e.UserId == userId && e.Reason == reason && e.Reference == reference, cancellationToken))
        {
            return false;
        }

        db.CreditLedger.Add(new CreditEntry { UserId = userId, Amount = amount, Reason = reason, Reference = reference, At = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException) when (reference is not null)
        {
            // A concurrent grant with the same reference won the unique index: applied once.
            return false;
        }
    }

    public async Task<IReadOnlyList<CreditEntry>> GetEntriesAsync(string userId, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CreditLedger.AsNoTracking().Where(e => e.UserId == userId)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<Dictionary<string, CreditEntry>> LatestPerUserAsync(CreditReason reason, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = await db.CreditLedger.AsNoTracking().Where(e => e.Reason == reason)
            .Where(e => !db.CreditLedger.Any(later => later.UserId == e.UserId && later.Reason == reason && later.Id > e.Id))
            .ToListAsync(cancellationToken);
        return entries.ToDictionary(e => e.UserId);
    }

    /// <summary>The user's balance as seen by <paramref name="db"/> (inside its transaction, if any).</summary>
    public static async Task<int> BalanceAsync(TerminalDbContext db, string userId, CancellationToken cancellationToken) =>
        await db.CreditLedger.Where(e => e.UserId == userId).SumAsync(e => (int?)e.Amount, cancellationToken) ?? 0;

    /// <summary>
    /// Adds a charge entry to <paramref name="db"/> (not saved) after checking the balance, so the caller
    /// can save it together with what it pays for in one transaction. Throws 402 when the balance is short.
    /// </summary>
    public static async Task ChargeAsync(TerminalDbContext db, string userId, int amount, string reference, DateTime at, CancellationToken cancellationToken, string? description = null)
    {
        var balance = await BalanceAsync(db, userId, cancellationToken);
        if (balance < amount)
        {
            throw TerminalException.PaymentRequired("insufficient_credits", $"This needs {amount} credit(s); the balance is {balance}.");
        }

        db.CreditLedger.Add(new CreditEntry { UserId = userId, Amount = -amount, Reason = CreditReason.ClipCharge, Reference = reference, At = at, Description = description });
    }
}
