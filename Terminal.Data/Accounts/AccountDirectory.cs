using Terminal.Core.Accounts;

namespace Terminal.Data.Accounts;

/// <summary>EF implementation of <see cref="IAccountDirectory"/> over Identity's tables.</summary>
public sealed class AccountDirectory(TerminalDatabase database) : IAccountDirectory
{
    public async Task<List<string>> UserIdsInRoleAsync(string role, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.UserRoles.Join(db.Roles.Where(r => r.Name == role), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId).ToListAsync(cancellationToken);
    }

    public async Task<List<AccountSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var adminRoleId = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var admins = adminRoleId is null
            ? []
            : (await db.UserRoles.Where(r => r.RoleId == adminRoleId).Select(r => r.UserId).ToListAsync(cancellationToken)).ToHashSet();
        var balances = await db.CreditLedger.GroupBy(e => e.UserId).Select(g => new { g.Key, Sum = g.Sum(e => e.Amount) })
            .ToDictionaryAsync(x => x.Key, x => x.Sum, cancellationToken);
        var statuses = await db.BillingSubscriptions.ToDictionaryAsync(s => s.UserId, s => s.Status, cancellationToken);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Email, u.Plan, u.CreatedAt }).ToListAsync(cancellationToken);
        return users
            .Select(u => new AccountSummary(u.Id, u.Email ?? "", u.Plan, balances.GetValueOrDefault(u.Id), statuses.GetValueOrDefault(u.Id), u.CreatedAt, admins.Contains(u.Id)))
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
