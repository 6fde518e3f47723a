using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;

namespace Terminal.Data.LinkedAccounts;

/// <summary>EF implementation of <see cref="ILinkedAccountStore"/>.</summary>
public sealed class LinkedAccountStore(TerminalDatabase database) : ILinkedAccountStore
{
    public async Task<StoredCredential?> FindCredentialAsync(string userId, Platform platform, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.PlatformCredentials.AsNoTracking().Where(c => c.UserId == userId && c.Platform == platform)
            .Select(AsStoredCredential).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<StoredCredential?> FindCredentialAsync(long credentialId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.PlatformCredentials.AsNoTracking().Where(c => c.Id == credentialId).Select(AsStoredCredential).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<StoredCredential>> CredentialsOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.PlatformCredentials.AsNoTracking().Where(c => c.UserId == userId).Select(AsStoredCredential).ToListAsync(cancellationToken);
    }

    public async Task<long> SaveCredentialAsync(string userId, Platform platform, string clientId, string clientSecretRef, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var credential = await db.PlatformCredentials.FirstOrDefaultAsync(c => c.UserId == userId && c.Platform == platform, cancellationToken);
        if (credential is null)
        {
            credential = new PlatformCredential { UserId = userId, Platform = platform, ClientId = clientId, ClientSecretRef = clientSecretRef };
            db.PlatformCredentials.Add(credential);
        }

        credential.ClientId = clientId;
        credential.ClientSecretRef = clientSecretRef;
        credential.Status = LinkStatus.PendingValidation;
        credential.Reason = null;
        credential.UpdatedAt = at;
        await db.SaveChangesAsync(cancellationToken);
        return credential.Id;
    }

    public async Task RecordValidationAsync(long credentialId, LinkStatus? status, string? reason, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var credential = await db.PlatformCredentials.FirstOrDefaultAsync(c => c.Id == credentialId, cancellationToken);
        if (credential is null)
        {
            return;
        }

        credential.Status = status ?? credential.Status;
        credential.Reason = reason;
        credential.LastValidatedAt = at;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<long>> PendingValidationsAsync(DateTime before, int take, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.PlatformCredentials.AsNoTracking()
            .Where(c => c.Status == LinkStatus.PendingValidation && c.UpdatedAt < before && (c.LastValidatedAt == null || c.LastValidatedAt < before))
            .OrderBy(c => c.UpdatedAt).Select(c => c.Id).Take(take).ToListAsync(cancellationToken);
    }

    public async Task AddPendingLinkAsync(PendingLink link, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.OAuthLinkStates.Where(s => s.ExpiresAt < link.CreatedAt).ExecuteDeleteAsync(cancellationToken);
        db.OAuthLinkStates.Add(new OAuthLinkState
        {
            StateHash = link.StateHash,
            UserId = link.UserId,
            Platform = link.Platform,
            ProtectedVerifier = link.ProtectedVerifier,
            RedirectUri = link.RedirectUri,
            CreatedAt = link.CreatedAt,
            ExpiresAt = link.ExpiresAt,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<PendingLink?> TakePendingLinkAsync(string stateHash, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var pending = await db.OAuthLinkStates.AsNoTracking().Where(s => s.StateHash == stateHash)
            .Select(s => new PendingLink(s.StateHash, s.UserId, s.Platform, s.ProtectedVerifier, s.RedirectUri, s.CreatedAt, s.ExpiresAt))
            .FirstOrDefaultAsync(cancellationToken);
        // Single use: whoever deletes the row owns it; a replay (or a racing second request) finds nothing.
        var consumed = pending is null ? 0 : await db.OAuthLinkStates.Where(s => s.StateHash == stateHash).ExecuteDeleteAsync(cancellationToken);
        return consumed == 0 ? null : pending;
    }

    public async Task DeleteExpiredPendingLinksAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.OAuthLinkStates.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<StoredLink?> FindLinkAsync(long linkId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.PlatformAccounts.AsNoTracking().Where(a => a.Id == linkId).Select(AsStoredLink).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<StoredLink?> FindLinkAsync(string userId, Platform platform, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.PlatformAccounts.AsNoTracking().Where(a => a.UserId == userId && a.Platform == platform).Select(AsStoredLink).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<StoredLink>> LinksOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.PlatformAccounts.AsNoTracking().Where(a => a.UserId == userId).Select(AsStoredLink).ToListAsync(cancellationToken);
    }

    public async Task<long> SaveConnectedAsync(string userId, Platform platform, LinkTokens tokens, string? externalId, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var account = await db.PlatformAccounts.FirstOrDefaultAsync(a => a.UserId == userId && a.Platform == platform, cancellationToken);
        if (account is null)
        {
            account = new PlatformAccount { UserId = userId, Platform = platform };
            db.PlatformAccounts.Add(account);
        }

        Apply(account, tokens);
        account.ExternalId = externalId ?? account.ExternalId;
        account.Status = LinkStatus.Connected;
        account.Reason = null;
        account.LinkedAt = at;
        account.NextSyncAt = at;
        await db.SaveChangesAsync(cancellationToken);
        return account.Id;
    }

    public async Task SaveRefreshedAsync(long linkId, LinkTokens tokens, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var account = await db.PlatformAccounts.FirstOrDefaultAsync(a => a.Id == linkId, cancellationToken);
        if (account is null)
        {
            return;
        }

        Apply(account, tokens);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task MarkReauthRequiredAsync(long linkId, string reason, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.PlatformAccounts.Where(a => a.Id == linkId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Status, LinkStatus.ReauthRequired)
            .SetProperty(a => a.Reason, reason)
            .SetProperty(a => a.NextSyncAt, (DateTime?)null), cancellationToken);
    }

    public async Task MarkDisconnectedAsync(long linkId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.PlatformAccounts.Where(a => a.Id == linkId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.AccessTokenRef, (string?)null)
            .SetProperty(a => a.RefreshTokenRef, (string?)null)
            .SetProperty(a => a.AccessTokenExpiresAt, (DateTime?)null)
            .SetProperty(a => a.RefreshTokenExpiresAt, (DateTime?)null)
            .SetProperty(a => a.Status, LinkStatus.Disconnected)
            .SetProperty(a => a.Reason, (string?)null)
            .SetProperty(a => a.NextSyncAt, (DateTime?)null), cancellationToken);
    }

    public async Task<IReadOnlyList<StoredLink>> ConnectedLinksAsync(Platform platform, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.PlatformAccounts.AsNoTracking().Where(a => a.Status == LinkStatus.Connected && a.Platform == platform)
            .Select(AsStoredLink).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<long>> ClaimDueSyncsAsync(DateTime now, DateTime leaseUntil, int take, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var due = await db.PlatformAccounts.Where(a => a.Status == LinkStatus.Connected && a.NextSyncAt != null && a.NextSyncAt <= now)
            .OrderBy(a => a.NextSyncAt).Select(a => a.Id).Take(take).ToListAsync(cancellationToken);
        await db.PlatformAccounts.Where(a => due.Contains(a.Id)).ExecuteUpdateAsync(s => s.SetProperty(a => a.NextSyncAt, leaseUntil), cancellationToken);
        return due;
    }

    private static void Apply(PlatformAccount account, LinkTokens tokens)
    {
        account.AccessTokenRef = tokens.AccessTokenRef;
        account.RefreshTokenRef = tokens.RefreshTokenRef;
        account.AccessTokenExpiresAt = tokens.AccessTokenExpiresAt;
        account.RefreshTokenExpiresAt = tokens.RefreshTokenExpiresAt;
        account.AccessTokenIssuedAt = tokens.AccessTokenIssuedAt;
        account.Scopes = tokens.Scopes;
    }

    private static readonly System.Linq.Expressions.Expression<Func<PlatformCredential, StoredCredential>> AsStoredCredential =
        c => new StoredCredential(c.Id, c.UserId, c.Platform, c.ClientId, c.ClientSecretRef, c.Status, c.Reason, c.LastValidatedAt);

    private static readonly System.Linq.Expressions.Expression<Func<PlatformAccount, StoredLink>> AsStoredLink =
        a => new StoredLink(a.Id, a.UserId, a.Platform, a.Status, a.Reason, a.ExternalId, a.DisplayName, a.Scopes,
            a.AccessTokenRef, a.RefreshTokenRef, a.AccessTokenExpiresAt, a.RefreshTokenExpiresAt, a.AccessTokenIssuedAt,
            a.LinkedAt, a.LastSyncAt, a.NextSyncAt);
}
