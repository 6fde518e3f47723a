using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Terminal.Core.Accounts;
using Terminal.Core.Credits;
using Terminal.Data.Accounts;

namespace Terminal.Web.Features.Accounts;

public sealed record RegisterRequest(string? Email, string? Password);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RegisteredUser(string Id, string Email);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record CurrentUser(string Id, string Email, Plan Plan, int Credits, IReadOnlyList<string> Roles);

/// <summary>Session API of SPEC §4: register, log in (bearer token for programs), current user.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/register", Register).AllowAnonymous()
            .WithSummary("Create an account (Free plan, starting credits). 409 when the e-mail is taken.");
        group.MapPost("/login", Login).AllowAnonymous()
            .WithSummary("Exchange e-mail and password for a bearer accessToken. 401 for a wrong e-mail or password.");
        group.MapGet("/user", GetUser)
            .WithSummary("The signed-in account: id, email, plan, credits and roles.");
        group.MapPost("/logout", Logout)
            .WithSummary("End the session, here and everywhere else it was used (the account's security stamp is renewed).")
            .DisableAntiforgery();
        group.MapPost("/logout-everywhere", Logout)
            .WithSummary("Sign out every browser and device of this account (same as logout: the security stamp is renewed).")
            .DisableAntiforgery();

        group.MapPost("/password", ChangePassword)
            .WithSummary("Change the password (the current one is required). Every session of the account ends, this bearer token too; log in again.")
            .DisableAntiforgery();

        // ACCT → Profile's form: the password changes, this browser stays signed in (a new cookie with
        // the new stamp), every other session ends.
        // A form-bound parameter makes the endpoint check the form's antiforgery token.
        app.MapPost("/account/change-password", async (IFormCollection form, ClaimsPrincipal principal, UserManager<TerminalUser> users, SignInManager<TerminalUser> signIn, AccountService accounts) =>
        {
            var user = await users.GetUserAsync(principal);
            if (user is null)
            {
                return TypedResults.LocalRedirect("/login");
            }

            try
            {
                await accounts.ChangePasswordAsync(user, form["currentPassword"], form["newPassword"]);
            }
            catch (TerminalException e)
            {
                return TypedResults.LocalRedirect($"/acct/profile?password_error={Uri.EscapeDataString(e.Code)}");
            }

            await signIn.RefreshSignInAsync(user);
            return TypedResults.LocalRedirect("/acct/profile?password=changed");
        }).ExcludeFromDescription();

        group.MapDelete("/user", DeleteAccount)
            .WithSummary("Delete the signed-in account with its data (linked accounts, API keys, clips and their files, the VODs it registered, the ledger). confirmEmail must be the account's e-mail; 409 for the last admin.")
            .DisableAntiforgery();

        // ACCT → Profile's "Delete account" form: confirmed by typing the e-mail, then signed out.
        app.MapPost("/account/delete", async (IFormCollection form, ClaimsPrincipal principal, UserManager<TerminalUser> users, SignInManager<TerminalUser> signIn, AccountDeletion deletion, CancellationToken cancellationToken) =>
        {
            var user = await users.GetUserAsync(principal);
            if (user is null)
            {
                return TypedResults.LocalRedirect("/login");
            }

            try
            {
                await deletion.DeleteAsync(user, form["confirmEmail"], cancellationToken);
            }
            catch (TerminalException e)
            {
                return TypedResults.LocalRedirect($"/acct/profile?delete_error={Uri.EscapeDataString(e.Code)}");
            }

            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/login");
        }).ExcludeFromDescription();

        // The UI's log-out forms (top bar, ACCT "Sign out everywhere"): plain form posts with an
        // antiforgery token, then back to the log-in page.
        app.MapPost("/account/logout", async (ClaimsPrincipal principal, UserManager<TerminalUser> users, SignInManager<TerminalUser> signIn) =>
        {
            await EndSessionsAsync(principal, users, signIn);
            return TypedResults.LocalRedirect("/login");
        }).ExcludeFromDescription();
        app.MapPost("/account/logout-everywhere", async (ClaimsPrincipal principal, UserManager<TerminalUser> users, SignInManager<TerminalUser> signIn) =>
        {
            await EndSessionsAsync(principal, users, signIn);
            return TypedResults.LocalRedirect("/login");
        }).ExcludeFromDescription();
        return app;
    }

    private static async Task<Created<RegisteredUser>> Register(
        RegisterRequest request, AccountService accounts, SignInThrottle throttle, HttpContext http, CancellationToken cancellationToken)
    {
        if (throttle.TryRegister(SignInThrottle.ClientAddress(http)) is { } wait)
        {
            throw TooManyAttempts(wait, "Too many registrations from this address; try again later.");
        }

        var user = await accounts.RegisterAsync(request.Email, request.Password, cancellationToken);
        return TypedResults.Created("/api/auth/user", new RegisteredUser(user.Id, user.Email!));
    }

    private static async Task<EmptyHttpResult> Login(
        LoginRequest request, UserManager<TerminalUser> users, SignInManager<TerminalUser> signIn, AccountService accounts,
        SignInThrottle throttle, HttpContext http)
    {
        var address = SignInThrottle.ClientAddress(http);
        var email = request.Email?.Trim();
        if (throttle.LoginRetryAfter(address, email) is { } wait)
        {
            throw TooManyAttempts(wait, "Too many failed log-ins; try again later.");
        }

        var user = string.IsNullOrEmpty(email) ? null : await users.FindByEmailAsync(email);
        if (user is null || string.IsNullOrEmpty(request.Password))
        {
            accounts.VerifyAgainstDummyHash(request.Password);
            throttle.RecordLoginFailure(address, email);
            throw InvalidCredentials();
        }

        // No Identity lockout: failing on purpose must not lock the owner out; the throttle limits guessing.
        var check = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: false);
        if (check.IsLockedOut)
        {
            throw TerminalException.TooManyRequests("locked_out", "This account is locked; try again later.");
        }

        if (!check.Succeeded)
        {
            throttle.RecordLoginFailure(address, email);
            throw InvalidCredentials();
        }

        throttle.RecordLoginSuccess(address, email);

        // The bearer handler writes {tokenType, accessToken, expiresIn, refreshToken} itself.
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInAsync(user, isPersistent: false);
        return TypedResults.Empty;
    }

    /// <summary>429 with <c>Retry-After</c> (whole seconds, rounded up) and the error body, written by the exception handler.</summary>
    private static TerminalException TooManyAttempts(TimeSpan wait, string message) =>
        TerminalException.TooManyRequests("too_many_attempts", message, wait);

    private static TerminalException InvalidCredentials() =>
        TerminalException.Unauthorized("invalid_credentials", "Wrong e-mail or password.");

    internal static int RetryAfterSeconds(TimeSpan wait) => TerminalException.RetryAfterSeconds(wait);

    private static async Task<Results<Ok<CurrentUser>, UnauthorizedHttpResult>> GetUser(
        ClaimsPrincipal principal, UserManager<TerminalUser> users, ICreditLedger ledger, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }

        var roles = await users.GetRolesAsync(user);
        var credits = await ledger.GetBalanceAsync(user.Id, cancellationToken);
        return TypedResults.Ok(new CurrentUser(user.Id, user.Email!, user.Plan, credits, roles.Order(StringComparer.Ordinal).ToList()));
    }

    private static async Task<Results<NoContent, UnauthorizedHttpResult>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal principal, UserManager<TerminalUser> users, AccountService accounts)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }

        await accounts.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, UnauthorizedHttpResult>> DeleteAccount(
        [AsParameters] AccountDeletionParameters query, ClaimsPrincipal principal, UserManager<TerminalUser> users, AccountDeletion deletion, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }

        await deletion.DeleteAsync(user, query.ConfirmEmail, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> Logout(ClaimsPrincipal principal, UserManager<TerminalUser> users, SignInManager<TerminalUser> signIn)
    {
        await EndSessionsAsync(principal, users, signIn);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Renews the account's security stamp before clearing this cookie: a copy of the cookie (another
    /// browser, a stolen one) then fails its next stamp validation (<see cref="AccountSessionOptions.ValidationInterval"/>).
    /// </summary>
    private static async Task EndSessionsAsync(ClaimsPrincipal principal, UserManager<TerminalUser> users, SignInManager<TerminalUser> signIn)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
    }
}

/// <summary>The <c>DELETE /api/auth/user</c> query string; <see cref="AccountDeletion"/> checks the e-mail against the account.</summary>
public sealed class AccountDeletionParameters
{
    /// <summary>The account's e-mail, typed again to confirm.</summary>
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "confirmEmail")] public string? ConfirmEmail { get; init; }
}
