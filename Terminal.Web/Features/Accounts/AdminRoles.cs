using Microsoft.AspNetCore.Identity;
using Terminal.Core.Accounts;
using Terminal.Data.Accounts;

namespace Terminal.Web.Features.Accounts;

/// <summary>Grants and revokes Admin through Identity (which also renews the user's security stamp,
/// so a revoked admin's cookie loses the role at its next validation).</summary>
public sealed class AdminRoles(UserManager<TerminalUser> users, RoleManager<IdentityRole> roles) : IAdminRoles
{
    public async Task<bool> GrantByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        await GrantUserAsync(await ByEmailAsync(email));

    public async Task<bool> RevokeByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        await RevokeUserAsync(await ByEmailAsync(email));

    public async Task<bool> GrantAsync(string userId, CancellationToken cancellationToken = default) =>
        await GrantUserAsync(await ByIdAsync(userId));

    public async Task<bool> RevokeAsync(string userId, string actingUserId, CancellationToken cancellationToken = default)
    {
        if (string.Equals(userId, actingUserId, StringComparison.Ordinal))
        {
            throw TerminalException.Conflict("cannot_revoke_self", "You cannot revoke your own Admin role; ask another admin.");
        }

        return await RevokeUserAsync(await ByIdAsync(userId));
    }

    private async Task<TerminalUser> ByEmailAsync(string email) =>
        (string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim()))
        ?? throw TerminalException.NotFound("account_not_found", $"No account with the e-mail '{email}'.");

    private async Task<TerminalUser> ByIdAsync(string userId) =>
        await users.FindByIdAsync(userId) ?? throw TerminalException.NotFound("account_not_found", "No such account.");

    private async Task<bool> GrantUserAsync(TerminalUser user)
    {
        if (!await roles.RoleExistsAsync(Roles.Admin))
        {
            Check(await roles.CreateAsync(new IdentityRole(Roles.Admin)));
        }

        if (await users.IsInRoleAsync(user, Roles.Admin))
        {
            return false;
        }

        Check(await users.AddToRoleAsync(user, Roles.Admin));
        return true;
    }

    private async Task<bool> RevokeUserAsync(TerminalUser user)
    {
        if (!await users.IsInRoleAsync(user, Roles.Admin))
        {
            return false;
        }

        // REVIEW: two admins revoking each other at the same instant could both pass this check; an
        // operator can always re-grant from the command line, so a lock is not worth its cost here.
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count <= 1)
        {
            throw TerminalException.Conflict("last_admin", "This is the last admin; grant Admin to someone else first.");
        }

        Check(await users.RemoveFromRoleAsync(user, Roles.Admin));
        return true;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
