using Microsoft.Extensions.Options;
using Terminal.Core;
using Terminal.Core.Market;
using Terminal.Jobs.LinkedAccounts;

namespace Terminal.Web.Features.LinkedAccounts;

/// <summary>What the ACCT Platforms tab needs, for one signed-in user. An interface so the panel can be
/// rendered in isolation (bUnit) without a database or scheduler.</summary>
public interface ILinkedAccountsUi
{
    Task<IReadOnlyList<CredentialStatus>> GetCredentialStatusesAsync(string userId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LinkedAccountView>> GetLinkedAccountsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Stores the credentials and starts their validation.</summary>
    Task SaveCredentialsAsync(string userId, Platform platform, string? clientId, string? clientSecret, string baseUrl, CancellationToken cancellationToken = default);

    Task DisconnectAsync(string userId, Platform platform, CancellationToken cancellationToken = default);

    Task SyncNowAsync(string userId, Platform platform, CancellationToken cancellationToken = default);

    /// <summary>Judges the stored app again now (the validation job, in the background).</summary>
    Task ValidateNowAsync(string userId, Platform platform, string baseUrl, CancellationToken cancellationToken = default);
}

internal sealed class LinkedAccountsUi(LinkedAccountService service, LinkedAccountScheduler scheduler, IPublicBaseUrl publicBase) : ILinkedAccountsUi
{
    public Task<IReadOnlyList<CredentialStatus>> GetCredentialStatusesAsync(string userId, CancellationToken cancellationToken = default) =>
        service.GetCredentialStatusesAsync(userId, cancellationToken);

    public Task<IReadOnlyList<LinkedAccountView>> GetLinkedAccountsAsync(string userId, CancellationToken cancellationToken = default) =>
        service.GetLinkedAccountsAsync(userId, cancellationToken);

    public async Task SaveCredentialsAsync(string userId, Platform platform, string? clientId, string? clientSecret, string baseUrl, CancellationToken cancellationToken = default)
    {
        var id = await service.SaveCredentialsAsync(userId, platform, clientId, clientSecret, cancellationToken);
        await scheduler.ValidateNowAsync(id, publicBase.Resolve(baseUrl), cancellationToken);
    }

    public Task DisconnectAsync(string userId, Platform platform, CancellationToken cancellationToken = default) =>
        service.UnlinkAsync(userId, platform, cancellationToken);

    public async Task ValidateNowAsync(string userId, Platform platform, string baseUrl, CancellationToken cancellationToken = default)
    {
        var id = await service.RequireCredentialAsync(userId, platform, cancellationToken);
        await scheduler.ValidateNowAsync(id, publicBase.Resolve(baseUrl), cancellationToken);
    }

    public async Task SyncNowAsync(string userId, Platform platform, CancellationToken cancellationToken = default)
    {
        var id = await service.RequireConnectedAsync(userId, platform, cancellationToken);
        await scheduler.SyncNowAsync(id, "manual", cancellationToken);
    }
}
