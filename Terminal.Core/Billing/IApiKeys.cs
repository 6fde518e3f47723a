using Terminal.Core.Accounts;

namespace Terminal.Core.Billing;

/// <summary>A stored key recognised by its hash, with its owner's plan.</summary>
public sealed record ApiKeyMatch(Guid KeyId, string UserId, DateTime? LastUsedAt, Plan Plan);

/// <summary>External API keys as stored (SHA-256 hashes only): their questions and state changes.</summary>
public interface IApiKeys
{
    Task<int> CountForUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The user's current plan (Free for an unknown user).</summary>
    Task<Plan> PlanOfUserAsync(string userId, CancellationToken cancellationToken);

    Task AddAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>The user's keys, newest first.</summary>
    Task<List<ApiKey>> ListForUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Deletes the user's key; its hash (to forget cached recognitions), or null when it is not theirs or does not exist.</summary>
    Task<string?> RevokeAsync(string userId, Guid keyId, CancellationToken cancellationToken);

    Task<ApiKeyMatch?> FindByHashAsync(string hash, CancellationToken cancellationToken);

    Task TouchAsync(Guid keyId, DateTime usedAt, CancellationToken cancellationToken);

    Task<List<string>> HashesOfUserAsync(string userId, CancellationToken cancellationToken);
}
