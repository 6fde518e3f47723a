using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Terminal.Core.Accounts;
using Terminal.Core.Billing;

namespace Terminal.Web.Features.Api;

/// <summary>One request's verdict from <see cref="ExternalApiQuota"/>.</summary>
/// <param name="ResetAt">When the current window ends.</param>
public readonly record struct QuotaDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset ResetAt);

/// <summary>
/// The external API's request budget: one fixed one-minute window per USER, opened by the first request
/// after the previous window ended — all of a
/// user's keys share it, so more keys or a re-created key never buy more requests (SPEC §4) — sized by
/// the user's plan (<c>Terminal:Plans:{Plan}:ApiRequestsPerMinute</c>); a plan change applies to the
/// running window. Kept here rather than in ASP.NET's rate limiter so that every answer can say how much
/// is left (<c>X-RateLimit-*</c>).
/// REVIEW: per node; with several nodes each grants the full budget (a Redis counter would share it).
/// </summary>
public sealed class ExternalApiQuota(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public static readonly TimeSpan WindowLength = TimeSpan.FromMinutes(1);

    public QuotaDecision Acquire(string userId, int limit)
    {
        var now = time.GetUtcNow();
        var window = _windows.GetOrAdd(userId, _ => new Window());
        lock (window)
        {
            if (now >= window.Start + WindowLength)
            {
                // A new window opens with the first request after the last one ended.
                window.Start = now;
                window.Count = 0;
            }

            var resetAt = window.Start + WindowLength;
            if (window.Count >= limit)
            {
                return new QuotaDecision(false, limit, 0, resetAt);
            }

            window.Count++;
            return new QuotaDecision(true, limit, limit - window.Count, resetAt);
        }
    }

    private sealed class Window
    {
        public DateTimeOffset Start = DateTimeOffset.MinValue;
        public int Count;
    }
}

/// <summary>
/// Rate limits of the external API (SPEC §4): every answer carries <c>X-RateLimit-Limit</c> (the plan's
/// requests per minute), <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c> (Unix seconds when the
/// window ends); past the limit, 429 with <c>Retry-After</c> and the error body. Every failure, the 429 included,
/// is a thrown <see cref="TerminalException"/> that the exception handler writes.
/// </summary>
public static class ExternalApiRateLimiting
{
    public const string LimitHeader = "X-RateLimit-Limit";
    public const string RemainingHeader = "X-RateLimit-Remaining";
    public const string ResetHeader = "X-RateLimit-Reset";

    public static IServiceCollection AddExternalApiRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<ExternalApiQuota>();

        // app.UseRateLimiter() stays in the pipeline for other policies; it needs the limiter's services.
        services.AddRateLimiter(_ => { });
        return services;
    }

    /// <summary>Applies the per-user budget to every endpoint of <paramref name="group"/> (after authentication: anonymous calls got 401 already).</summary>
    public static RouteGroupBuilder RequireExternalApiQuota(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var user = http.User;
            var userId = user.FindFirstValue(ApiKeyDefaults.KeyIdClaim) is null ? null : user.FindFirstValue(ClaimTypes.NameIdentifier);
            if (userId is null)
            {
                return await next(context);
            }

            Plans.TryParse(user.FindFirstValue(ApiKeyDefaults.PlanClaim), out var plan);
            var limit = http.RequestServices.GetRequiredService<IOptionsMonitor<PlansOptions>>().CurrentValue.For(plan ?? Plan.Free).ApiRequestsPerMinute;
            var decision = http.RequestServices.GetRequiredService<ExternalApiQuota>().Acquire(userId, limit);
            // Set when the answer starts, not now: a handler that fails by throwing (any exception, TerminalException
            // or a framework 400) reaches the exception handler, which clears the response's headers before it writes
            // the error body; this callback runs after that, so every answer carries the budget.
            http.Response.OnStarting(static state =>
            {
                var (response, quota) = ((HttpResponse, QuotaDecision))state;
                var headers = response.Headers;
                headers[LimitHeader] = quota.Limit.ToString(CultureInfo.InvariantCulture);
                headers[RemainingHeader] = quota.Remaining.ToString(CultureInfo.InvariantCulture);
                headers[ResetHeader] = quota.ResetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            }, (http.Response, decision));
            if (decision.Allowed)
            {
                return await next(context);
            }

            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            var seconds = Math.Clamp((int)Math.Ceiling((decision.ResetAt - now).TotalSeconds), 1, 60);
            throw TerminalException.TooManyRequests("rate_limited", $"Your plan's request limit is used up; retry after {seconds} s.", TimeSpan.FromSeconds(seconds));
        });
        return group;
    }
}
