using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Terminal.Data.Accounts;

namespace Terminal.Web.Features.Accounts;

/// <summary>
/// Bearer tokens carry the account's security stamp like the cookie does, but the bearer handler never
/// re-checks it. This does, on the same <see cref="AccountSessionOptions.ValidationInterval"/>, so a
/// log-out or "sign out everywhere" also ends the sessions programs hold (SPEC §8).
/// </summary>
public sealed class BearerSessionValidator(IOptionsMonitor<AccountSessionOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string Stamp, DateTimeOffset CheckedAt)> checkedStamps = new(StringComparer.Ordinal);

    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, UserManager<TerminalUser> users)
    {
        var userId = users.GetUserId(principal);
        var stamp = principal.FindFirstValue(users.Options.ClaimsIdentity.SecurityStampClaimType);
        if (userId is null || stamp is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var interval = options.CurrentValue.ValidationInterval;
        if (interval > TimeSpan.Zero && checkedStamps.TryGetValue(userId, out var known) && known.Stamp == stamp && now - known.CheckedAt < interval)
        {
            return true;
        }

        var user = await users.FindByIdAsync(userId);
        var current = user is null ? null : await users.GetSecurityStampAsync(user);
        if (current is null || !string.Equals(current, stamp, StringComparison.Ordinal))
        {
            checkedStamps.TryRemove(userId, out _);
            return false;
        }

        checkedStamps[userId] = (current, now);
        return true;
    }
}

internal static class BearerSessionValidation
{
    /// <summary>After authentication: a bearer token whose stamp is no longer the account's is a 401.</summary>
    public static IApplicationBuilder UseBearerSessionValidation(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true &&
            DependencyInjection.SelectScheme(context) == IdentityConstants.BearerScheme &&
            !await context.RequestServices.GetRequiredService<BearerSessionValidator>()
                .IsCurrentAsync(context.User, context.RequestServices.GetRequiredService<UserManager<TerminalUser>>()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        await next(context);
    });
}
