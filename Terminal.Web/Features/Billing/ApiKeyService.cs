using Microsoft.Extensions.Options;
using Terminal.Core.Accounts;
using Terminal.Core.Billing;

namespace Terminal.Web.Features.Billing;

/// <summary>A key as listed: never the key itself.</summary>
public sealed record ApiKeyInfo(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>A key just created: the only time <see cref="Key"/> is ever returned.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string Prefix, string Key);

/// <summary>Who an API key belongs to, for the <c>X-Api-Key</c> scheme and the rate limiter.</summary>
public sealed record ApiKeyOwner(Guid KeyId, string UserId, Plan Plan);

/// <summary>Creates, lists, revokes and recognises external API keys (stored as SHA-256 hashes).</summary>
public sealed class ApiKeyService(IApiKeys keys, TimeProvider time, ApiKeyRecognitionCache cache, IOptionsMonitor<PlansOptions> plans)
{
    /// <summary>
    /// How long a recognised key is trusted without reading the database (keeps the external API's hot
    /// path off SQLite). Revoking or a plan change evicts at once, on every node (<see cref="ApiKeyRecognitionCache"/>).
    /// </summary>
    public static readonly TimeSpan RecognitionCacheLifetime = ApiKeyRecognitionCache.Lifetime;

    /// <summary>How stale <c>lastUsedAt</c> may get before a request writes it (keeps hot paths read-only).</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedApiKey> CreateAsync(string userId, string? name, CancellationToken cancellationToken = default)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            throw TerminalException.BadRequest("invalid_name", "Give the key a name of 1–100 characters.");
        }

        // REVIEW: count-then-add; two creations racing at the cap can both pass (one key over, no more requests: the budget is per user).
        var plan = await keys.PlanOfUserAsync(userId, cancellationToken);
        var max = plans.CurrentValue.For(plan).MaxApiKeys;
        if (await keys.CountForUserAsync(userId, cancellationToken) >= max)
        {
            throw TerminalException.Conflict("too_many_keys", $"The {plan} plan holds at most {max} API keys; revoke one first.");
        }

        var material = ApiKeyMaterial.Generate();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = name,
            Prefix = material.Prefix,
            Hash = material.Hash,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await keys.AddAsync(key, cancellationToken);
        return new CreatedApiKey(key.Id, key.Name, key.Prefix, material.Key);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        return (await keys.ListForUserAsync(userId, cancellationToken))
            .Select(k => new ApiKeyInfo(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt))
            .ToList();
    }

    /// <summary>Deletes the caller's key; false when it is not theirs or does not exist (both read as 404).</summary>
    public async Task<bool> RevokeAsync(string userId, Guid id, CancellationToken cancellationToken = default)
    {
        var hash = await keys.RevokeAsync(userId, id, cancellationToken);
        if (hash is null)
        {
            return false;
        }

        await cache.EvictAsync([hash]);
        return true;
    }

    /// <summary>The owner of <paramref name="key"/>, or null when it is not a live key.</summary>
    public async Task<ApiKeyOwner?> AuthenticateAsync(string? key, CancellationToken cancellationToken = default)
    {
        if (!ApiKeyMaterial.LooksLikeKey(key))
        {
            return null;
        }

        var hash = ApiKeyMaterial.Hash(key!);
        if (cache.TryGet(hash, out var cached))
        {
            return cached;
        }

        var found = await keys.FindByHashAsync(hash, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (found.LastUsedAt is null || now - found.LastUsedAt.Value >= LastUsedResolution)
        {
            await keys.TouchAsync(found.KeyId, now, cancellationToken);
        }

        var owner = new ApiKeyOwner(found.KeyId, found.UserId, found.Plan);
        cache.Set(hash, owner);
        return owner;
    }

    /// <summary>Forgets cached recognitions of the user's keys (their plan changed).</summary>
    public async Task ForgetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await cache.EvictAsync([.. await keys.HashesOfUserAsync(userId, cancellationToken)]);
    }
}
