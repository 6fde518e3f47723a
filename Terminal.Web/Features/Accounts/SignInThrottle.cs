using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Terminal.Web.Features.Accounts;

/// <summary><c>Terminal:Throttling</c>: password guessing and registration limits (SPEC §8).</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Terminal:Throttling";

    /// <summary>Failed log-ins from one client address (any accounts) before it gets 429.</summary>
    [Range(1, int.MaxValue)]
    public int FailedLoginsPerAddress { get; set; } = 10;

    /// <summary>Failed log-ins against one account from one address before that pair gets 429.</summary>
    [Range(1, int.MaxValue)]
    public int FailedLoginsPerAccountAndAddress { get; set; } = 5;

    /// <summary>Failed log-ins against one account from all addresses together before every address that
    /// has already failed against it gets 429. An address with no failure against the account is still
    /// heard, so a crowd of guessers cannot lock the owner out.</summary>
    [Range(1, int.MaxValue)]
    public int FailedLoginsPerAccount { get; set; } = 50;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Registration attempts per client address per <see cref="RegistrationWindow"/>.</summary>
    [Range(1, int.MaxValue)]
    public int RegistrationsPerAddress { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RegistrationWindow { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Sliding-window counters for failed log-ins (per address, per account and address, per account) and
/// registrations (per address), kept in memory: a restart forgets them, which costs an attacker nothing
/// they could not get by waiting the window. Identity's own lockout is not used — it would let anyone
/// lock the owner out by failing on purpose.
/// </summary>
public sealed class SignInThrottle(IOptionsMonitor<SignInThrottleOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);
    private long operations;

    /// <summary>How long the caller must wait before trying this log-in, or null when it may try now.</summary>
    public TimeSpan? LoginRetryAfter(string address, string? email)
    {
        var o = options.CurrentValue;
        var now = time.GetUtcNow();
        var account = AccountKey(email);
        var wait = Max(Full($"la:{address}", o.FailedLoginsPerAddress, o.FailedLoginWindow, now),
            account is null ? null : Full($"lp:{account}|{address}", o.FailedLoginsPerAccountAndAddress, o.FailedLoginWindow, now));
        if (account is not null && Count($"lp:{account}|{address}", o.FailedLoginWindow, now) > 0)
        {
            wait = Max(wait, Full($"lc:{account}", o.FailedLoginsPerAccount, o.FailedLoginWindow, now));
        }

        return wait;
    }

    public void RecordLoginFailure(string address, string? email)
    {
        var now = time.GetUtcNow();
        Add($"la:{address}", now);
        if (AccountKey(email) is { } account)
        {
            Add($"lp:{account}|{address}", now);
            Add($"lc:{account}", now);
        }
    }

    /// <summary>The owner got in from here: this address's failures against the account are forgiven.</summary>
    public void RecordLoginSuccess(string address, string? email)
    {
        if (AccountKey(email) is { } account)
        {
            windows.TryRemove($"lp:{account}|{address}", out _);
        }
    }

    /// <summary>Counts a registration attempt from <paramref name="address"/>; returns the wait when over the limit (not counted then).</summary>
    public TimeSpan? TryRegister(string address)
    {
        var o = options.CurrentValue;
        var now = time.GetUtcNow();
        var key = $"ra:{address}";
        if (Full(key, o.RegistrationsPerAddress, o.RegistrationWindow, now) is { } wait)
        {
            return wait;
        }

        Add(key, now);
        return null;
    }

    /// <summary>
    /// The client address to throttle on: the connection's (after <c>UseForwardedHeaders</c>, which takes
    /// <c>X-Forwarded-For</c> only from known proxies). IPv6 is grouped by its /64, which one host owns.
    /// </summary>
    public static string ClientAddress(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress;
        if (ip is null)
        {
            return "unknown";
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = ip.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return ip.ToString();
    }

    private static string? AccountKey(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToUpperInvariant();

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private int Count(string key, TimeSpan window, DateTimeOffset now) =>
        windows.TryGetValue(key, out var w) ? w.Count(now - window) : 0;

    /// <summary>The wait until the oldest counted event leaves the window, when <paramref name="limit"/> are in it.</summary>
    private TimeSpan? Full(string key, int limit, TimeSpan window, DateTimeOffset now)
    {
        if (!windows.TryGetValue(key, out var w))
        {
            return null;
        }

        var oldest = w.OldestWhenAtLeast(limit, now - window);
        return oldest is null ? null : oldest.Value + window - now;
    }

    private void Add(string key, DateTimeOffset now)
    {
        windows.GetOrAdd(key, _ => new Window()).Add(now);
        if (Interlocked.Increment(ref operations) % 1024 == 0)
        {
            Sweep(now);
        }
    }

    /// <summary>Drops windows with nothing left in the longest window, so memory follows recent traffic.</summary>
    private void Sweep(DateTimeOffset now)
    {
        var o = options.CurrentValue;
        var since = now - (o.FailedLoginWindow > o.RegistrationWindow ? o.FailedLoginWindow : o.RegistrationWindow);
        foreach (var (key, window) in windows)
        {
            if (window.Count(since) == 0)
            {
                windows.TryRemove(key, out _);
            }
        }
    }

    private sealed class Window
    {
        private readonly Queue<DateTimeOffset> events = new();

        public void Add(DateTimeOffset at)
        {
            lock (events)
            {
                events.Enqueue(at);
                // Only the last few hundred matter for any limit; cap the memory of a hammered key.
                while (events.Count > 1024)
                {
                    events.Dequeue();
                }
            }
        }

        public int Count(DateTimeOffset since)
        {
            lock (events)
            {
                Prune(since);
                return events.Count;
            }
        }

        public DateTimeOffset? OldestWhenAtLeast(int limit, DateTimeOffset since)
        {
            lock (events)
            {
                Prune(since);
                // The (count - limit)th event: once it leaves the window the count drops below the limit.
                return events.Count >= limit ? events.ElementAt(events.Count - limit) : null;
            }
        }

        private void Prune(DateTimeOffset since)
        {
            while (events.Count > 0 && events.Peek() <= since)
            {
                events.Dequeue();
            }
        }
    }
}
