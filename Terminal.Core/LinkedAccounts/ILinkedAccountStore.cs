using Terminal.Core.Market;

namespace Terminal.Core.LinkedAccounts;

/// <summary>A user's developer app for one platform as stored; the secret is a reference into the secret store.</summary>
public sealed record StoredCredential(long Id, string UserId, Platform Platform, string ClientId, string ClientSecretRef,
    LinkStatus Status, string? Reason, DateTime? LastValidatedAt);

/// <summary>A linked platform account as stored; tokens are references into the secret store.</summary>
public sealed record StoredLink(long Id, string UserId, Platform Platform, LinkStatus Status, string? Reason,
    string? ExternalId, string? DisplayName, string? Scopes,
    string? AccessTokenRef, string? RefreshTokenRef, DateTime? AccessTokenExpiresAt, DateTime? RefreshTokenExpiresAt, DateTime? AccessTokenIssuedAt,
    DateTime LinkedAt, DateTime? LastSyncAt, DateTime? NextSyncAt);

/// <summary>A pending OAuth authorisation: the state's hash, its user, and the PKCE verifier (protected).</summary>
public sealed record PendingLink(string StateHash, string UserId, Platform Platform, string? ProtectedVerifier, string RedirectUri,
    DateTime CreatedAt, DateTime ExpiresAt);

/// <summary>The token references and lifetimes a link holds after a code exchange or a refresh.</summary>
public sealed record LinkTokens(string AccessTokenRef, string? RefreshTokenRef, DateTime? AccessTokenExpiresAt, DateTime? RefreshTokenExpiresAt,
    DateTime AccessTokenIssuedAt, string? Scopes);

/// <summary>
/// Developer credentials, pending OAuth states and linked accounts: their questions and state changes.
/// Secrets never pass through here, only their references.
/// </summary>
public interface ILinkedAccountStore
{
    Task<StoredCredential?> FindCredentialAsync(string userId, Platform platform, CancellationToken cancellationToken);

    Task<StoredCredential?> FindCredentialAsync(long credentialId, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredCredential>> CredentialsOfUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) the user's app for a platform as pending validation; returns its id.</summary>
    Task<long> SaveCredentialAsync(string userId, Platform platform, string clientId, string clientSecretRef, DateTime at, CancellationToken cancellationToken);

    /// <summary>Records a validation attempt; a null <paramref name="status"/> keeps the current one (the platform did not answer).</summary>
    Task RecordValidationAsync(long credentialId, LinkStatus? status, string? reason, DateTime at, CancellationToken cancellationToken);

    /// <summary>Credentials still pending validation, changed and last tried before <paramref name="before"/>, oldest first.</summary>
    Task<IReadOnlyList<long>> PendingValidationsAsync(DateTime before, int take, CancellationToken cancellationToken);

    /// <summary>Adds a pending authorisation after dropping the expired ones.</summary>
    Task AddPendingLinkAsync(PendingLink link, CancellationToken cancellationToken);

    /// <summary>Consumes the pending authorisation with this state hash: the caller that deletes it gets it, every other gets null.</summary>
    Task<PendingLink?> TakePendingLinkAsync(string stateHash, CancellationToken cancellationToken);

    Task DeleteExpiredPendingLinksAsync(DateTime now, CancellationToken cancellationToken);

    Task<StoredLink?> FindLinkAsync(long linkId, CancellationToken cancellationToken);

    Task<StoredLink?> FindLinkAsync(string userId, Platform platform, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredLink>> LinksOfUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Creates or reconnects the user's link for a platform with fresh tokens, due for a sync now; returns its id.</summary>
    Task<long> SaveConnectedAsync(string userId, Platform platform, LinkTokens tokens, string? externalId, DateTime at, CancellationToken cancellationToken);

    /// <summary>Stores refreshed tokens (the link stays connected).</summary>
    Task SaveRefreshedAsync(long linkId, LinkTokens tokens, CancellationToken cancellationToken);

    /// <summary>The platform refused the grant: the link waits for the user to connect again and is not synced.</summary>
    Task MarkReauthRequiredAsync(long linkId, string reason, CancellationToken cancellationToken);

    /// <summary>Forgets the tokens and marks the link disconnected.</summary>
    Task MarkDisconnectedAsync(long linkId, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredLink>> ConnectedLinksAsync(Platform platform, CancellationToken cancellationToken);

    /// <summary>
    /// Connected links whose sync is due at <paramref name="now"/> (at most <paramref name="take"/>, most overdue
    /// first); each is leased until <paramref name="leaseUntil"/> so the next scan does not trigger it again.
    /// </summary>
    Task<IReadOnlyList<long>> ClaimDueSyncsAsync(DateTime now, DateTime leaseUntil, int take, CancellationToken cancellationToken);
}

/// <summary>How a sync run ends: its counters, the error if any, and whether to take an account snapshot.</summary>
public sealed record IngestionRunEnd(int Records, int QuotaUsed, IngestionStatus Status, string? Error, bool TakeSnapshot, long? Followers,
    DateTime NextSyncAt, DateTime At);

/// <summary>Ingestion runs of linked accounts and what they fetch (posts, account snapshots).</summary>
public interface IIngestionRuns
{
    /// <summary>
    /// Starts a run of <paramref name="link"/> unless one started after <paramref name="staleBefore"/> is still running.
    /// Returns the run's id and the quota the user already spent on that platform since <paramref name="quotaDayStart"/>.
    /// </summary>
    Task<(long RunId, int QuotaUsedToday)?> StartAsync(StoredLink link, string trigger, DateTime now, DateTime staleBefore, DateTime quotaDayStart,
        CancellationToken cancellationToken);

    /// <summary>Keeps the platform's id and display name of the account (a null keeps the stored value).</summary>
    Task SaveProfileAsync(long linkId, FetchedProfile profile, CancellationToken cancellationToken);

    /// <summary>Upserts a page of posts and saves the run's counters with it.</summary>
    Task SavePageAsync(long runId, StoredLink link, IReadOnlyList<FetchedPost> posts, int records, int quotaUsed, DateTime at, CancellationToken cancellationToken);

    /// <summary>Closes the run and, when the link is still connected, records the sync time and the next one.</summary>
    Task FinishAsync(long runId, StoredLink link, IngestionRunEnd end, CancellationToken cancellationToken);

    /// <summary>Closes runs still "running" that started before <paramref name="staleBefore"/> (their process stopped).</summary>
    Task CloseStaleAsync(DateTime staleBefore, DateTime now, CancellationToken cancellationToken);
}
