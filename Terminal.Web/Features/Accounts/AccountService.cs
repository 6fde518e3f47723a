using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Terminal.Core;
using Terminal.Core.Accounts;
using Terminal.Core.Credits;
using Terminal.Data.Accounts;

namespace Terminal.Web.Features.Accounts;

/// <summary>Registration and the per-log-in bookkeeping shared by the API and the log-in page.</summary>
public sealed class AccountService(
    UserManager<TerminalUser> users,
    IPasswordHasher<TerminalUser> hasher,
    ICreditLedger ledger,
    IOptionsMonitor<CreditOptions> credits,
    TimeProvider time)
{
    private static readonly EmailAddressAttribute EmailFormat = new();
    private static string? dummyHash;

    /// <summary>
    /// Spends on an unknown e-mail the time a known one spends verifying its hash, so the answer's
    /// timing does not tell whether an account exists (SPEC §8).
    /// </summary>
    public void VerifyAgainstDummyHash(string? password)
    {
        var dummy = new TerminalUser { UserName = "dummy@invalid" };
        dummyHash ??= hasher.HashPassword(dummy, Guid.NewGuid().ToString("N"));
        _ = hasher.VerifyHashedPassword(dummy, dummyHash, password ?? "");
    }

    /// <summary>Creates an account on the Free plan with the starting credits. Throws 400 for bad input, 409 when taken.</summary>
    public async Task<TerminalUser> RegisterAsync(string? email, string? password, CancellationToken cancellationToken = default)
    {
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 254 || !EmailFormat.IsValid(email))
        {
            throw TerminalException.BadRequest("invalid_email", "Enter a valid e-mail address.");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw TerminalException.BadRequest("invalid_password", "Enter a password.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            throw TerminalException.Conflict("email_taken", "An account with this e-mail already exists.");
        }

        var user = new TerminalUser { UserName = email, Email = email, Plan = Plan.Free, CreatedAt = time.GetUtcNow().UtcDateTime };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
            {
                throw TerminalException.Conflict("email_taken", "An account with this e-mail already exists.");
            }

            var isPassword = result.Errors.All(e => e.Code.StartsWith("Password", StringComparison.Ordinal));
            throw TerminalException.BadRequest(isPassword ? "invalid_password" : "invalid_registration",
                string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        var starting = credits.CurrentValue.Starting;
        if (starting > 0)
        {
            await ledger.GrantAsync(user.Id, starting, CreditReason.StartingGrant, user.Id, cancellationToken);
        }

        // Registration never grants a role (SPEC §4): admins come from `admin grant` or ADMIN.
        return user;
    }

    /// <summary>
    /// Changes the password after checking the current one (400 <c>wrong_password</c>; 400
    /// <c>invalid_password</c> when the new one breaks the rules). Identity renews the security stamp,
    /// so every other session of the account ends at its next stamp check.
    /// </summary>
    public async Task ChangePasswordAsync(TerminalUser user, string? currentPassword, string? newPassword)
    {
        // One code per parameter (currentPassword → wrong_password, newPassword → invalid_password), missing or not.
        if (string.IsNullOrEmpty(currentPassword))
        {
            throw TerminalException.BadRequest("wrong_password", "Enter the current password.");
        }

        if (string.IsNullOrEmpty(newPassword))
        {
            throw TerminalException.BadRequest("invalid_password", "Enter a new password.");
        }

        if (!await users.CheckPasswordAsync(user, currentPassword))
        {
            throw TerminalException.BadRequest("wrong_password", "The current password is not right.");
        }

        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            throw TerminalException.BadRequest("invalid_password", string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
