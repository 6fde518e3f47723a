using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Terminal.Core.Accounts;
using Terminal.Core.Billing;

namespace Terminal.Web.Features.Api;

/// <summary>
/// Rate limits of the external API: one fixed one-minute window per USER — all of a user's keys share it,
/// so more keys or a re-created key never buy more requests (SPEC §4) — sized by the user's plan (<c>Terminal:Plans:{Plan}:ApiRequestsPerMinute</c>). A plan change starts a new partition.
/// </summary>
public static class ExternalApiRateLimiting
{
    public const string Policy = "ext-api";

    public static IServiceCollection AddExternalApiRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, context =>
            {
                var user = context.User;
                var userId = user.FindFirstValue(ApiKeyDefaults.KeyIdClaim) is null ? null : user.FindFirstValue(ClaimTypes.NameIdentifier);
                if (userId is null)
                {
                    // Unauthenticated requests never get this far (401 first); do not limit them here.
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }

                Plans.TryParse(user.FindFirstValue(ApiKeyDefaults.PlanClaim), out var plan);
                var limit = context.RequestServices.GetRequiredService<IOptionsMonitor<PlansOptions>>().CurrentValue
                    .For(plan ?? Plan.Free).ApiRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter($"{userId}:{limit}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 60;
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await response.WriteAsJsonAsync(
                    new ApiErrorBody(new ApiError("rate_limited", $"Your plan's request limit is used up; retry after {seconds} s.")),
                    cancellationToken);
            };
        });
        return services;
    }
}
