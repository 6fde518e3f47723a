namespace Terminal.Core.Accounts;

/// <summary>An account as an operator sees it: plan, credit balance, subscription status, admin or not.</summary>
public sealed record AccountSummary(string Id, string Email, Plan Plan, int Credits, string? SubscriptionStatus, DateTime CreatedAt, bool IsAdmin);

/// <summary>Questions about accounts that are not one signed-in user's own.</summary>
public interface IAccountDirectory
{
    /// <summary>Ids of the users in <paramref name="role"/> (e.g. <see cref="Roles.Admin"/>).</summary>
    Task<List<string>> UserIdsInRoleAsync(string role, CancellationToken cancellationToken);

    /// <summary>Every account, ordered by e-mail.</summary>
    Task<List<AccountSummary>> ListAsync(CancellationToken cancellationToken);
}
