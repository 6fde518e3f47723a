using Terminal.Core.Accounts;
using Terminal.Core.Billing;

namespace Terminal.Data.Billing;

/// <summary>EF implementation of <see cref="IApiKeys"/>.</summary>
public sealed class ApiKeyStore(TerminalDatabase database) : IApiKeys
{
    public async Task<int> CountForUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ApiKeys.CountAsync(k => k.UserId == userId, cancellationToken);
    }

    public async Task<Plan> PlanOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (Plan?)u.Plan).FirstOrDefaultAsync(cancellationToken) ?? Plan.Free;
    }

    public async Task AddAsync(ApiKey key, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<List<ApiKey>> ListForUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId).ToListAsync(cancellationToken);
        return keys.OrderByDescending(k => k.CreatedAt).ToList();
    }

    public async Task<string?> RevokeAsync(string userId, Guid keyId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var hash = await db.ApiKeys.Where(k => k.Id == keyId && k.UserId == userId).Select(k => k.Hash).FirstOrDefaultAsync(cancellationToken);
        if (hash is null)
        {
            return null;
        }

        return await db.ApiKeys.Where(k => k.Id == keyId && k.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0 ? hash : null;
    }

    public async Task<ApiKeyMatch?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().Where(k => k.Hash == hash)
            .Join(db.Users, k => k.UserId, u => u.Id, (k, u) => new ApiKeyMatch(k.Id, k.UserId, k.LastUsedAt, u.Plan))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task TouchAsync(Guid keyId, DateTime usedAt, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, usedAt), cancellationToken);
    }

    public async Task<List<string>> HashesOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ApiKeys.Where(k => k.UserId == userId).Select(k => k.Hash).ToListAsync(cancellationToken);
    }
}
