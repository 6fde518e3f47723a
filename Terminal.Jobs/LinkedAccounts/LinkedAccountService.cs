using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Common;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Core.Secrets;
using Terminal.Data;
using Terminal.Data.LinkedAccounts;

namespace Terminal.Jobs.LinkedAccounts;

public sealed record CredentialStatus(Platform Platform, LinkStatus Status, string? Reason, DateTime? LastValidatedAt);

public sealed record LinkedAccountView(Platform Platform, LinkStatus Status, string? Reason, string? DisplayName, string? Scopes, DateTime LinkedAt, DateTime? LastSyncAt, DateTime? NextSyncAt);

/// <summary>
/// Developer credentials, OAuth linking and token custody for one user's platforms. Every method takes
/// the owning user's id and touches that user's rows only. Secrets go through <see cref="ISecretStore"/>;
/// nothing here logs a secret or a token.
/// </summary>
public sealed class LinkedAccountService(
    IDbContextFactory<TerminalDbContext> dbFactory,
    ISecretStore secrets,
    IEnumerable<PlatformOAuth> oauths,
    IDataProtectionProvider protection,
    IOptionsMonitor<LinkedAccountOptions> options,
    TimeProvider clock,
    ILogger<LinkedAccountService> logger)
{
    private const string VerifierPurpose = "Terminal.OAuthState.Verifier.v1";

    /// <summary>One refresh at a time per linked account (rotating refresh tokens are single-use).
    /// REVIEW: in-process; a clustered deployment would need a database lease per account.</summary>
    private static readonly ConcurrentDictionary<long, SemaphoreSlim> RefreshLocks = new();

    private readonly IDataProtector verifierProtector = protection.CreateProtector(VerifierPurpose);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public PlatformOAuth OAuthFor(Platform platform) => oauths.First(o => o.Platform == platform);

    // ---- developer credentials -------------------------------------------------------------

    /// <summary>Stores (or replaces) the user's app for a platform; returns its id for the validation job.</summary>
    public async Task<long> SaveCredentialsAsync(string userId, Platform platform, string? clientId, string? clientSecret, CancellationToken cancellationToken)
    {
        clientId = clientId?.Trim();
        clientSecret = clientSecret?.Trim();
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret))
        {
            throw TerminalException.BadRequest("missing_fields", "Both clientId and clientSecret are required.");
        }

        if (clientId.Length > 256 || clientSecret.Length > 1024 || clientId.Any(char.IsControl) || clientSecret.Any(char.IsControl))
        {
            throw TerminalException.BadRequest("invalid_credentials_format", "clientId (at most 256 characters) and clientSecret (at most 1024) must be plain text.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credential = await db.PlatformCredentials.FirstOrDefaultAsync(c => c.UserId == userId && c.Platform == platform, cancellationToken);
        var reference = await secrets.SetAsync(clientSecret, credential?.ClientSecretRef, cancellationToken);
        if (credential is null)
        {
            credential = new PlatformCredential { UserId = userId, Platform = platform, ClientId = clientId, ClientSecretRef = reference };
            db.PlatformCredentials.Add(credential);
        }

        credential.ClientId = clientId;
        credential.ClientSecretRef = reference;
        credential.Status = LinkStatus.PendingValidation;
        credential.Reason = null;
        credential.UpdatedAt = Now;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Stored {Platform} credentials for user {UserId}; validation pending", platform.ToWire(), userId);
        return credential.Id;
    }

    /// <summary>One entry per platform the user has stored credentials for; the link's status wins once linked.</summary>
    public async Task<IReadOnlyList<CredentialStatus>> GetCredentialStatusesAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credentials = await db.PlatformCredentials.AsNoTracking().Where(c => c.UserId == userId).ToListAsync(cancellationToken);
        var accounts = await db.PlatformAccounts.AsNoTracking().Where(a => a.UserId == userId).ToListAsync(cancellationToken);
        return credentials.OrderBy(c => c.Platform).Select(c =>
        {
            var account = accounts.FirstOrDefault(a => a.Platform == c.Platform);
            return account is { Status: LinkStatus.Connected or LinkStatus.ReauthRequired } && c.Status == LinkStatus.Valid
                ? new CredentialStatus(c.Platform, account.Status, account.Reason, c.LastValidatedAt)
                : new CredentialStatus(c.Platform, c.Status, c.Reason, c.LastValidatedAt);
        }).ToList();
    }

    public async Task<IReadOnlyList<LinkedAccountView>> GetLinkedAccountsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.PlatformAccounts.AsNoTracking().Where(a => a.UserId == userId).ToListAsync(cancellationToken);
        return accounts.OrderBy(a => a.Platform)
            .Select(a => new LinkedAccountView(a.Platform, a.Status, a.Reason, a.DisplayName, a.Scopes, a.LinkedAt, a.LastSyncAt, a.NextSyncAt))
            .ToList();
    }

    /// <summary>The validation job's work: judge the stored app with the platform's token endpoint.</summary>
    /// <returns>Null when a verdict was reached (valid or invalid); else why the platform could not judge.</returns>
    public async Task<string?> ValidateCredentialsAsync(long credentialId, string redirectBase, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credential = await db.PlatformCredentials.FirstOrDefaultAsync(c => c.Id == credentialId, cancellationToken);
        if (credential is null)
        {
            return null;
        }

        string? unjudged = null;

        var secret = await secrets.GetAsync(credential.ClientSecretRef, cancellationToken);
        if (secret is null)
        {
            credential.Status = LinkStatus.Invalid;
            credential.Reason = "The stored secret is missing; enter the credentials again.";
        }
        else
        {
            var oauth = OAuthFor(credential.Platform);
            var (verdict, reason) = await oauth.ValidateAsync(new PlatformApp(credential.ClientId, secret), CallbackUri(redirectBase, credential.Platform), cancellationToken);
            credential.Reason = reason;
            if (verdict != CredentialVerdict.Unknown)
            {
                credential.Status = verdict == CredentialVerdict.Valid ? LinkStatus.Valid : LinkStatus.Invalid;
            }
            else
            {
                unjudged = reason;
            }
        }

        credential.LastValidatedAt = Now;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{Platform} credentials {CredentialId} judged {Status}", credential.Platform.ToWire(), credential.Id, credential.Status.ToWire());
        return unjudged;
    }

    // ---- OAuth linking ---------------------------------------------------------------------

    public static string CallbackUri(string baseUrl, Platform platform) => $"{baseUrl.TrimEnd('/')}/api/auth/callback/{platform.ToWire()}";

    /// <summary>Creates a single-use, expiring state bound to the user (with the PKCE verifier kept
    /// server-side) and returns the platform's authorize URL.</summary>
    public async Task<string> StartLinkAsync(string userId, Platform platform, string baseUrl, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var credential = await db.PlatformCredentials.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId && c.Platform == platform, cancellationToken);
        if (credential is not { Status: LinkStatus.Valid })
        {
            throw TerminalException.Conflict("credentials_not_valid",
                $"Store valid {platform.ToWire()} developer credentials first (current status: {credential?.Status.ToWire() ?? "none"}).");
        }

        var oauth = OAuthFor(platform);
        var state = Pkce.NewState();
        var verifier = oauth.UsesPkce ? Pkce.NewVerifier() : null;
        var redirectUri = CallbackUri(baseUrl, platform);
        await db.OAuthLinkStates.Where(s => s.ExpiresAt < Now).ExecuteDeleteAsync(cancellationToken);
        db.OAuthLinkStates.Add(new OAuthLinkState
        {
            StateHash = Pkce.HashState(state),
            UserId = userId,
            Platform = platform,
            ProtectedVerifier = verifier is null ? null : verifierProtector.Protect(verifier),
            RedirectUri = redirectUri,
            CreatedAt = Now,
            ExpiresAt = Now.AddMinutes(options.CurrentValue.StateLifetimeMinutes),
        });
        await db.SaveChangesAsync(cancellationToken);
        return oauth.BuildAuthorizeUrl(new PlatformApp(credential.ClientId, ""), redirectUri, state, verifier is null ? null : Pkce.Challenge(verifier));
    }

    /// <summary>Completes a link from the platform's redirect. The state (not a cookie) names the user, so
    /// a bearer-only client can finish the flow; it is consumed before anything else happens.</summary>
    /// <returns>The linked account's id.</returns>
    public async Task<long> CompleteLinkAsync(Platform platform, string? code, string? state, string? platformError, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state))
        {
            throw TerminalException.BadRequest("invalid_state", "The state parameter is missing.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hash = Pkce.HashState(state);
        var pending = await db.OAuthLinkStates.AsNoTracking().FirstOrDefaultAsync(s => s.StateHash == hash, cancellationToken);
        // Single use: whoever deletes the row owns it; a replay (or a racing second request) finds nothing.
        var consumed = pending is null ? 0 : await db.OAuthLinkStates.Where(s => s.StateHash == hash).ExecuteDeleteAsync(cancellationToken);
        if (pending is null || consumed == 0 || pending.Platform != platform)
        {
            throw TerminalException.BadRequest("invalid_state", "The state is unknown, already used, or for another platform; start linking again.");
        }

        if (pending.ExpiresAt < Now)
        {
            throw TerminalException.BadRequest("expired_state", "The linking attempt expired; start linking again.");
        }

        if (!string.IsNullOrEmpty(platformError) || string.IsNullOrEmpty(code))
        {
            throw TerminalException.BadRequest("authorization_denied", $"The platform did not authorise the link ({platformError ?? "no code"}).");
        }

        var credential = await db.PlatformCredentials.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == pending.UserId && c.Platform == platform, cancellationToken)
            ?? throw TerminalException.Conflict("credentials_not_valid", "The developer credentials were removed meanwhile.");
        var secret = await secrets.GetAsync(credential.ClientSecretRef, cancellationToken)
            ?? throw TerminalException.Conflict("credentials_not_valid", "The stored secret is missing; enter the credentials again.");
        var verifier = pending.ProtectedVerifier is null ? null : verifierProtector.Unprotect(pending.ProtectedVerifier);

        TokenSet tokens;
        try
        {
            tokens = await OAuthFor(platform).ExchangeCodeAsync(new PlatformApp(credential.ClientId, secret), code, pending.RedirectUri, verifier, cancellationToken);
        }
        catch (OAuthErrorException e)
        {
            logger.LogWarning("{Platform} code exchange failed for user {UserId}: {Error}", platform.ToWire(), pending.UserId, e.Error);
            throw TerminalException.BadRequest("token_exchange_failed", $"{platform.ToWire()} refused the authorization code ({e.Error}).");
        }

        var account = await db.PlatformAccounts.FirstOrDefaultAsync(a => a.UserId == pending.UserId && a.Platform == platform, cancellationToken);
        if (account is null)
        {
            account = new PlatformAccount { UserId = pending.UserId, Platform = platform };
            db.PlatformAccounts.Add(account);
        }

        account.AccessTokenRef = await secrets.SetAsync(tokens.AccessToken, account.AccessTokenRef, cancellationToken);
        if (tokens.RefreshToken is not null)
        {
            account.RefreshTokenRef = await secrets.SetAsync(tokens.RefreshToken, account.RefreshTokenRef, cancellationToken);
        }

        account.AccessTokenExpiresAt = tokens.ExpiresAt;
        account.AccessTokenIssuedAt = Now;
        account.RefreshTokenExpiresAt = tokens.RefreshExpiresAt;
        account.Scopes = tokens.Scopes;
        account.ExternalId = tokens.ExternalId ?? account.ExternalId;
        account.Status = LinkStatus.Connected;
        account.Reason = null;
        account.LinkedAt = Now;
        account.NextSyncAt = Now;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Linked {Platform} account for user {UserId}", platform.ToWire(), pending.UserId);
        return account.Id;
    }

    /// <summary>Revokes where the platform offers it, deletes the tokens and marks the link disconnected.</summary>
    public async Task UnlinkAsync(string userId, Platform platform, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.PlatformAccounts.FirstOrDefaultAsync(a => a.UserId == userId && a.Platform == platform && a.Status != LinkStatus.Disconnected, cancellationToken)
            ?? throw TerminalException.NotFound("not_linked", $"No linked {platform.ToWire()} account.");
        var gate = RefreshLocks.GetOrAdd(account.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var access = account.AccessTokenRef is null ? null : await secrets.GetAsync(account.AccessTokenRef, cancellationToken);
            var refresh = account.RefreshTokenRef is null ? null : await secrets.GetAsync(account.RefreshTokenRef, cancellationToken);
            var credential = await db.PlatformCredentials.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId && c.Platform == platform, cancellationToken);
            var secret = credential is null ? null : await secrets.GetAsync(credential.ClientSecretRef, cancellationToken);
            if (credential is not null && secret is not null)
            {
                try
                {
                    await OAuthFor(platform).RevokeAsync(new PlatformApp(credential.ClientId, secret), access, refresh, cancellationToken);
                }
                catch (Exception e) when (PlatformFailures.IsTransient(e) || e is OAuthErrorException)
                {
                    // Disconnecting must not depend on the platform answering; the tokens are deleted below.
                    logger.LogWarning("Revoking the {Platform} grant of user {UserId} failed: {Error}", platform.ToWire(), userId, e.GetType().Name);
                }
            }

            foreach (var reference in new[] { account.AccessTokenRef, account.RefreshTokenRef }.OfType<string>())
            {
                await secrets.DeleteAsync(reference, cancellationToken);
            }

            account.AccessTokenRef = null;
            account.RefreshTokenRef = null;
            account.AccessTokenExpiresAt = null;
            account.RefreshTokenExpiresAt = null;
            account.Status = LinkStatus.Disconnected;
            account.Reason = null;
            account.NextSyncAt = null;
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    // ---- tokens ----------------------------------------------------------------------------

    /// <summary>A usable access token for the account, refreshed first when it is about to expire (or
    /// when <paramref name="force"/> says the platform just refused it). Refreshes of one account are
    /// serialised; a revoked grant marks the link <c>reauth_required</c> and throws.</summary>
    public async Task<string> GetAccessTokenAsync(long accountId, bool force, CancellationToken cancellationToken)
    {
        var gate = RefreshLocks.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var account = await db.PlatformAccounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
                ?? throw new ReauthRequiredException("The linked account no longer exists.");
            if (account.Status != LinkStatus.Connected || account.AccessTokenRef is null)
            {
                throw new ReauthRequiredException($"The link is {account.Status.ToWire()}.");
            }

            var oauth = OAuthFor(account.Platform);
            var access = await secrets.GetAsync(account.AccessTokenRef, cancellationToken)
                ?? throw await MarkReauthAsync(db, account, "The stored access token is missing.", cancellationToken);
            if (!force && !oauth.NeedsRefresh(account.AccessTokenExpiresAt, account.AccessTokenIssuedAt))
            {
                return access;
            }

            var credential = await db.PlatformCredentials.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == account.UserId && c.Platform == account.Platform, cancellationToken);
            var secret = credential is null ? null : await secrets.GetAsync(credential.ClientSecretRef, cancellationToken);
            if (credential is null || secret is null)
            {
                throw await MarkReauthAsync(db, account, "The developer credentials are gone.", cancellationToken);
            }

            var refresh = account.RefreshTokenRef is null ? null : await secrets.GetAsync(account.RefreshTokenRef, cancellationToken);
            TokenSet tokens;
            try
            {
                tokens = await oauth.RefreshAsync(new PlatformApp(credential.ClientId, secret), access, refresh, cancellationToken);
            }
            catch (OAuthErrorException e) when (e.IsRevokedGrant || e.Error is "invalid_client" or "unauthorized_client")
            {
                throw await MarkReauthAsync(db, account, $"The platform refused the refresh ({e.Error}); connect again.", cancellationToken);
            }

            account.AccessTokenRef = await secrets.SetAsync(tokens.AccessToken, account.AccessTokenRef, cancellationToken);
            // Google sends no refresh token on refresh: keep the stored one. TikTok may rotate it: store the new one.
            if (tokens.RefreshToken is not null)
            {
                account.RefreshTokenRef = await secrets.SetAsync(tokens.RefreshToken, account.RefreshTokenRef, cancellationToken);
                account.RefreshTokenExpiresAt = tokens.RefreshExpiresAt ?? account.RefreshTokenExpiresAt;
            }

            account.AccessTokenExpiresAt = tokens.ExpiresAt;
            account.AccessTokenIssuedAt = Now;
            account.Scopes = tokens.Scopes ?? account.Scopes;
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Refreshed the {Platform} token of linked account {AccountId}", account.Platform.ToWire(), account.Id);
            return tokens.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<ReauthRequiredException> MarkReauthAsync(TerminalDbContext db, PlatformAccount account, string reason, CancellationToken cancellationToken)
    {
        account.Status = LinkStatus.ReauthRequired;
        account.Reason = reason;
        account.NextSyncAt = null;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Linked {Platform} account {AccountId} needs the user to connect again: {Reason}", account.Platform.ToWire(), account.Id, reason);
        return new ReauthRequiredException(reason);
    }

    /// <summary>The linked account of a user and platform (for the sync endpoint), or a 404/409.</summary>
    public async Task<long> RequireConnectedAsync(string userId, Platform platform, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.PlatformAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId && a.Platform == platform, cancellationToken);
        if (account is null || account.Status == LinkStatus.Disconnected)
        {
            throw TerminalException.NotFound("not_linked", $"No linked {platform.ToWire()} account.");
        }

        if (account.Status != LinkStatus.Connected)
        {
            throw TerminalException.Conflict("reauth_required", $"The {platform.ToWire()} link needs to be connected again.");
        }

        return account.Id;
    }
}
