namespace Terminal.Core.Accounts;

/// <summary>
/// The one code path that grants and revokes the Admin role: the server's command line
/// (<c>admin grant|revoke &lt;email&gt;</c>), the ADMIN screen and the API all go through it.
/// Registration never grants a role (SPEC §4).
/// </summary>
public interface IAdminRoles
{
    /// <summary>Makes the account with <paramref name="email"/> an admin. False when it already was.
    /// Throws <see cref="Common.TerminalException"/> (404 <c>account_not_found</c>) for an unknown e-mail.</summary>
    Task<bool> GrantByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Takes Admin from the account with <paramref name="email"/>. False when it was not an admin.
    /// Refuses (409 <c>last_admin</c>) to remove the last admin; 404 for an unknown e-mail.</summary>
    Task<bool> RevokeByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>ADMIN's grant: as <see cref="GrantByEmailAsync"/>, by user id.</summary>
    Task<bool> GrantAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>ADMIN's revoke by user id on behalf of <paramref name="actingUserId"/>: an admin cannot
    /// revoke themselves (409 <c>cannot_revoke_self</c>) nor the last admin (409 <c>last_admin</c>).</summary>
    Task<bool> RevokeAsync(string userId, string actingUserId, CancellationToken cancellationToken = default);
}
