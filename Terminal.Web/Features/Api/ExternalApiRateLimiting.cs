using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Terminal.Core.Accounts;
using Terminal.Core.Billing;
using StackExchange.Redis;
using Terminal.Web.Features.Cluster;

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
/// </summary>
/// <remarks>
/// With <c>Terminal:Redis</c> set the window is one Redis counter per user (<c>clip-terminal:api-quota:{user}</c>,
/// counted and given its expiry in one script), so every node draws on the same budget: two nodes behind a load
/// balancer grant the plan's requests once, not twice. While Redis cannot be reached, each node counts on its own
/// (logged), so the API stays up with a budget per node until Redis is back.
/// </remarks>
public sealed partial class ExternalApiQuota(TimeProvider time, ClusterRedis redis, ILogger<ExternalApiQuota> logger)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _lastFallbackLog;

    public static readonly TimeSpan WindowLength = TimeSpan.FromMinutes(1);

    /// <summary>The Redis key of a user's window.</summary>
    public static string Key(string userId) => $"{ClusterRedis.ChannelPrefix}:api-quota:{userId}";

    // INCR, and the window's expiry when this request opened it (or a key somehow left without one); returns the
    // count and the milliseconds left. One script, so no request sees a counter without its expiry.
    private const string CountScript = """
        local n = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if n == 1 or ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {n, ttl}
        """;

    public async ValueTask<QuotaDecision> AcquireAsync(string userId, int limit)
    {
        if (redis.IsEnabled && await SharedAsync(userId, limit) is { } shared)
        {
            return shared;
        }

        return Acquire(userId, limit);
    }

    /// <summary>This node's own count (no Redis, or Redis unreachable).</summary>
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

    private async Task<QuotaDecision?> SharedAsync(string userId, int limit)
    {
        try
        {
            if (await redis.DatabaseAsync() is not { } database || !database.Multiplexer.IsConnected)
            {
                LogFallback(null);
                return null;
            }

            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                CountScript, [Key(userId)], [(long)WindowLength.TotalMilliseconds]))!;
            var count = (long)result[0];
            var left = TimeSpan.FromMilliseconds(Math.Max(0, (long)result[1]));
            var resetAt = time.GetUtcNow() + left;
            return count <= limit
                ? new QuotaDecision(true, limit, (int)(limit - count), resetAt)
                : new QuotaDecision(false, limit, 0, resetAt);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            LogFallback(e);
            return null;
        }
    }

    private void LogFallback(Exception? e)
    {
        // At most once a minute: every request of an outage would otherwise log.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastFallbackLog);
        if (now - last >= 60_000 && Interlocked.CompareExchange(ref _lastFallbackLog, now, last) == last)
        {
            LogCountingLocally(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: the external API's budget is counted on this node alone until it is back")]
    private static partial void LogCountingLocally(ILogger logger, Exception? exception);

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
            var decision = await http.RequestServices.GetRequiredService<ExternalApiQuota>().AcquireAsync(userId, limit);
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
