using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Cluster;
using Terminal.Core.Common;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Core.Secrets;

namespace Terminal.Jobs.LinkedAccounts;

public sealed record CredentialStatus(Platform Platform, LinkStatus Status, string? Reason, DateTime? LastValidatedAt);

public sealed record LinkedAccountView(Platform Platform, LinkStatus Status, string? Reason, string? DisplayName, string? Scopes, DateTime LinkedAt, DateTime? LastSyncAt, DateTime? NextSyncAt);

/// <summary>
/// Developer credentials, OAuth linking and token custody for one user's platforms. Every method takes
/// the owning user's id and touches that user's rows only. Secrets go through <see cref="ISecretStore"/>;
/// nothing here logs a secret or a token.
/// </summary>
public sealed class LinkedAccountService(
    ILinkedAccountStore store,
    ISecretStore secrets,
    IEnumerable<PlatformOAuth> oauths,
    IDataProtectionProvider protection,
    IOptionsMonitor<LinkedAccountOptions> options,
    TimeProvider clock,
    ILeases leases,
    ILogger<LinkedAccountService> logger)
{
    private const string VerifierPurpose = "Terminal.OAuthState.Verifier.v1";

    /// <summary>One refresh at a time per linked account (rotating refresh tokens are single-use): a
    /// semaphore queues this node's callers, then a database lease (<see cref="RefreshLeaseName"/>)
    /// excludes the other nodes.</summary>
    private static readonly ConcurrentDictionary<long, SemaphoreSlim> RefreshLocks = new();

    /// <summary>Longer than a refresh or an unlink takes (platform calls time out well before); a node
    /// that dies holding it blocks the account's refreshes for at most this long.</summary>
    public static readonly TimeSpan RefreshLeaseDuration = TimeSpan.FromMinutes(2);

    /// <summary>The name of the database lease that serialises refreshes of one linked account.</summary>
    public static string RefreshLeaseName(long accountId) => $"linked-account-refresh:{accountId}";

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
            throw TerminalException.BadRequest("invalid_credentials_format", "Both clientId and clientSecret are required.");
        }

        if (clientId.Length > 256 || clientSecret.Length > 1024 || clientId.Any(char.IsControl) || clientSecret.Any(char.IsControl))
        {
            throw TerminalException.BadRequest("invalid_credentials_format", "clientId (at most 256 characters) and clientSecret (at most 1024) must be plain text.");
        }

        var existing = await store.FindCredentialAsync(userId, platform, cancellationToken);
        var reference = await secrets.SetAsync(clientSecret, existing?.ClientSecretRef, cancellationToken);
        var id = await store.SaveCredentialAsync(userId, platform, clientId, reference, Now, cancellationToken);
        logger.LogInformation("Stored {Platform} credentials for user {UserId}; validation pending", platform.ToWire(), userId);
        return id;
    }

    /// <summary>One entry per platform the user has stored credentials for; the link's status wins once linked.</summary>
    public async Task<IReadOnlyList<CredentialStatus>> GetCredentialStatusesAsync(string userId, CancellationToken cancellationToken)
    {
        var credentials = await store.CredentialsOfUserAsync(userId, cancellationToken);
        var accounts = await store.LinksOfUserAsync(userId, cancellationToken);
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
        var accounts = await store.LinksOfUserAsync(userId, cancellationToken);
        return accounts.OrderBy(a => a.Platform)
            .Select(a => new LinkedAccountView(a.Platform, a.Status, a.Reason, a.DisplayName, a.Scopes, a.LinkedAt, a.LastSyncAt, a.NextSyncAt))
            .ToList();
    }

    /// <summary>The validation job's work: judge the stored app with the platform's token endpoint.</summary>
    /// <returns>Null when a verdict was reached (valid or invalid); else why the platform could not judge.</returns>
    public async Task<string?> ValidateCredentialsAsync(long credentialId, string redirectBase, CancellationToken cancellationToken)
    {
        var credential = await store.FindCredentialAsync(credentialId, cancellationToken);
        if (credential is null)
        {
            return null;
        }

        LinkStatus? status;
        string? reason;
        var secret = await secrets.GetAsync(credential.ClientSecretRef, cancellationToken);
        if (secret is null)
        {
            status = LinkStatus.Invalid;
            reason = "The stored secret is missing; enter the credentials again.";
        }
        else
        {
            var oauth = OAuthFor(credential.Platform);
            (var verdict, reason) = await oauth.ValidateAsync(new PlatformApp(credential.ClientId, secret), CallbackUri(redirectBase, credential.Platform), cancellationToken);
            status = verdict switch
            {
                CredentialVerdict.Unknown => null,
                CredentialVerdict.Valid => LinkStatus.Valid,
                _ => LinkStatus.Invalid,
            };
        }

        await store.RecordValidationAsync(credential.Id, status, reason, Now, cancellationToken);
        logger.LogInformation("{Platform} credentials {CredentialId} judged {Status}", credential.Platform.ToWire(), credential.Id, (status ?? credential.Status).ToWire());

        // Null when a verdict was reached; else why the platform could not judge (the job then fails).
        return status is null ? reason ?? "the platform gave no verdict" : null;
    }

    // ---- OAuth linking ---------------------------------------------------------------------

    public static string CallbackUri(string baseUrl, Platform platform) => $"{baseUrl.TrimEnd('/')}/api/auth/callback/{platform.ToWire()}";

    /// <summary>Creates a single-use, expiring state bound to the user (with the PKCE verifier kept
    /// server-side) and returns the platform's authorize URL.</summary>
    public async Task<string> StartLinkAsync(string userId, Platform platform, string baseUrl, CancellationToken cancellationToken)
    {
        var credential = await store.FindCredentialAsync(userId, platform, cancellationToken);
        if (credential is not { Status: LinkStatus.Valid })
        {
            throw TerminalException.Conflict("credentials_not_valid",
                $"Store valid {platform.ToWire()} developer credentials first (current status: {credential?.Status.ToWire() ?? "none"}).");
        }

        var oauth = OAuthFor(platform);
        var state = Pkce.NewState();
        var verifier = oauth.UsesPkce ? Pkce.NewVerifier() : null;
        var redirectUri = CallbackUri(baseUrl, platform);
        var now = Now;
        await store.AddPendingLinkAsync(new PendingLink(Pkce.HashState(state), userId, platform,
            verifier is null ? null : verifierProtector.Protect(verifier), redirectUri, now, now.AddMinutes(options.CurrentValue.StateLifetimeMinutes)), cancellationToken);
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

        // Single use: the store hands the state to one caller; a replay (or a racing second request) finds nothing.
        var pending = await store.TakePendingLinkAsync(Pkce.HashState(state), cancellationToken);
        if (pending is null || pending.Platform != platform)
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

        var credential = await store.FindCredentialAsync(pending.UserId, platform, cancellationToken)
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

        var existing = await store.FindLinkAsync(pending.UserId, platform, cancellationToken);
        var accessRef = await secrets.SetAsync(tokens.AccessToken, existing?.AccessTokenRef, cancellationToken);
        var refreshRef = tokens.RefreshToken is not null
            ? await secrets.SetAsync(tokens.RefreshToken, existing?.RefreshTokenRef, cancellationToken)
            : existing?.RefreshTokenRef;
        var now = Now;
        var id = await store.SaveConnectedAsync(pending.UserId, platform,
            new LinkTokens(accessRef, refreshRef, tokens.ExpiresAt, tokens.RefreshExpiresAt, now, tokens.Scopes), tokens.ExternalId, now, cancellationToken);
        logger.LogInformation("Linked {Platform} account for user {UserId}", platform.ToWire(), pending.UserId);
        return id;
    }

    /// <summary>Revokes where the platform offers it, deletes the tokens and marks the link disconnected.</summary>
    public async Task UnlinkAsync(string userId, Platform platform, CancellationToken cancellationToken)
    {
        var account = await store.FindLinkAsync(userId, platform, cancellationToken) is { Status: not LinkStatus.Disconnected } linked
            ? linked
            : throw TerminalException.NotFound("not_linked", $"No linked {platform.ToWire()} account.");
        await using (await SerialiseRefreshAsync(account.Id, cancellationToken))
        {
            var access = account.AccessTokenRef is null ? null : await secrets.GetAsync(account.AccessTokenRef, cancellationToken);
            var refresh = account.RefreshTokenRef is null ? null : await secrets.GetAsync(account.RefreshTokenRef, cancellationToken);
            var credential = await store.FindCredentialAsync(userId, platform, cancellationToken);
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

            await store.MarkDisconnectedAsync(account.Id, cancellationToken);
        }
    }

    /// <summary>Holds the account's refresh lock on this node and its lease across nodes until disposed.</summary>
    private async Task<IAsyncDisposable> SerialiseRefreshAsync(long accountId, CancellationToken cancellationToken)
    {
        var gate = RefreshLocks.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return new RefreshHold(gate, await leases.AcquireAsync(RefreshLeaseName(accountId), RefreshLeaseDuration, cancellationToken));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private sealed class RefreshHold(SemaphoreSlim gate, IAsyncDisposable lease) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await lease.DisposeAsync();
            }
            finally
            {
                gate.Release();
            }
        }
    }

    // ---- tokens ----------------------------------------------------------------------------

    /// <summary>A usable access token for the account, refreshed first when it is about to expire (or
    /// when <paramref name="force"/> says the platform just refused it). Refreshes of one account are
    /// serialised; a revoked grant marks the link <c>reauth_required</c> and throws.</summary>
    public async Task<string> GetAccessTokenAsync(long accountId, bool force, CancellationToken cancellationToken)
    {
        await using (await SerialiseRefreshAsync(accountId, cancellationToken))
        {
            var account = await store.FindLinkAsync(accountId, cancellationToken)
                ?? throw new ReauthRequiredException("The linked account no longer exists.");
            if (account.Status != LinkStatus.Connected || account.AccessTokenRef is null)
            {
                throw new ReauthRequiredException($"The link is {account.Status.ToWire()}.");
            }

            var oauth = OAuthFor(account.Platform);
            var access = await secrets.GetAsync(account.AccessTokenRef, cancellationToken)
                ?? throw await MarkReauthAsync(account, "The stored access token is missing.", cancellationToken);
            if (!force && !oauth.NeedsRefresh(account.AccessTokenExpiresAt, account.AccessTokenIssuedAt))
            {
                return access;
            }

            var credential = await store.FindCredentialAsync(account.UserId, account.Platform, cancellationToken);
            var secret = credential is null ? null : await secrets.GetAsync(credential.ClientSecretRef, cancellationToken);
            if (credential is null || secret is null)
            {
                throw await MarkReauthAsync(account, "The developer credentials are gone.", cancellationToken);
            }

            var refresh = account.RefreshTokenRef is null ? null : await secrets.GetAsync(account.RefreshTokenRef, cancellationToken);
            TokenSet tokens;
            try
            {
                tokens = await oauth.RefreshAsync(new PlatformApp(credential.ClientId, secret), access, refresh, cancellationToken);
            }
            catch (OAuthErrorException e) when (e.IsRevokedGrant || e.Error is "invalid_client" or "unauthorized_client")
            {
                throw await MarkReauthAsync(account, $"The platform refused the refresh ({e.Error}); connect again.", cancellationToken);
            }

            var accessRef = await secrets.SetAsync(tokens.AccessToken, account.AccessTokenRef, cancellationToken);
            // Google sends no refresh token on refresh: keep the stored one. TikTok may rotate it: store the new one.
            var (refreshRef, refreshExpiresAt) = tokens.RefreshToken is not null
                ? (await secrets.SetAsync(tokens.RefreshToken, account.RefreshTokenRef, cancellationToken), tokens.RefreshExpiresAt ?? account.RefreshTokenExpiresAt)
                : (account.RefreshTokenRef, account.RefreshTokenExpiresAt);
            await store.SaveRefreshedAsync(account.Id,
                new LinkTokens(accessRef, refreshRef, tokens.ExpiresAt, refreshExpiresAt, Now, tokens.Scopes ?? account.Scopes), cancellationToken);
            logger.LogInformation("Refreshed the {Platform} token of linked account {AccountId}", account.Platform.ToWire(), account.Id);
            return tokens.AccessToken;
        }
    }

    private async Task<ReauthRequiredException> MarkReauthAsync(StoredLink account, string reason, CancellationToken cancellationToken)
    {
        await store.MarkReauthRequiredAsync(account.Id, reason, cancellationToken);
        logger.LogWarning("Linked {Platform} account {AccountId} needs the user to connect again: {Reason}", account.Platform.ToWire(), account.Id, reason);
        return new ReauthRequiredException(reason);
    }

    /// <summary>
    /// Before an account is deleted: every linked account is disconnected (its grant revoked where the
    /// platform answers, its tokens deleted) and every stored client secret is deleted from the secret
    /// store. The rows themselves go with the account.
    /// </summary>
    public async Task ForgetUserAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var link in await store.LinksOfUserAsync(userId, cancellationToken))
        {
            if (link.Status != LinkStatus.Disconnected)
            {
                await UnlinkAsync(userId, link.Platform, cancellationToken);
            }
        }

        foreach (var credential in await store.CredentialsOfUserAsync(userId, cancellationToken))
        {
            await secrets.DeleteAsync(credential.ClientSecretRef, cancellationToken);
        }
    }

    /// <summary>The id of the user's stored app for a platform (to validate it again), or a 404.</summary>
    public async Task<long> RequireCredentialAsync(string userId, Platform platform, CancellationToken cancellationToken) =>
        (await store.FindCredentialAsync(userId, platform, cancellationToken))?.Id
            ?? throw TerminalException.NotFound("no_credentials", $"No {platform.ToWire()} credentials are stored.");

    /// <summary>The linked account of a user and platform (for the sync endpoint), or a 404/409.</summary>
    public async Task<long> RequireConnectedAsync(string userId, Platform platform, CancellationToken cancellationToken)
    {
        var account = await store.FindLinkAsync(userId, platform, cancellationToken);
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
