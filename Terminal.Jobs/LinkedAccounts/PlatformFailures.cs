using System.Net;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>
/// The one rule for "the platform did not answer properly, try again later" — every platform call
/// (credential validation, token refresh, revoke, sync) catches and judges failures through it.
/// </summary>
public static class PlatformFailures
{
    /// <summary>
    /// True for failures of the call itself rather than answers: the network (<see cref="HttpRequestException"/>),
    /// timeouts (ours, <see cref="TimeoutException"/>, or the resilience pipeline's attempt/total timeouts, which
    /// surface as <see cref="TaskCanceledException"/> or <see cref="Polly.Timeout.TimeoutRejectedException"/>) and an
    /// open circuit breaker. The caller's own cancellation is not transient: filter it out with
    /// <c>when (!cancellationToken.IsCancellationRequested)</c> where it matters.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception is HttpRequestException
        or TimeoutException
        or TaskCanceledException
        or Polly.Timeout.TimeoutRejectedException
        or Polly.CircuitBreaker.BrokenCircuitException;

    /// <summary>
    /// A transient failure in words for the person who reads the reason (never a .NET type name):
    /// "timed out", "could not be reached", "is not taking calls right now" or "sent an answer that could not be read".
    /// </summary>
    public static string Describe(Exception exception) => exception switch
    {
        TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException => "timed out",
        Polly.CircuitBreaker.BrokenCircuitException => "is not taking calls right now (too many recent failures)",
        HttpRequestException => "could not be reached",
        System.Text.Json.JsonException => "sent an answer that could not be read",
        _ => "failed",
    };

    /// <summary>True for answers that say "later": 408, 429 and every 5xx.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
