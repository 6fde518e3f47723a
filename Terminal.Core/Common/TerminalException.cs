namespace Terminal.Core.Common;

/// <summary>What went wrong, in the terms of SPEC §4's status codes.</summary>
public enum ErrorKind
{
    BadRequest,
    Unauthorized,
    PaymentRequired,
    Forbidden,
    NotFound,
    Conflict,
    TooManyRequests,
}

/// <summary>
/// A failure the caller can act on. The web layer turns it into the SPEC §4 error body
/// (<c>{"error":{"code","message"}}</c>) with the status that <see cref="Kind"/> names; anything
/// else that escapes is a 500 with a generic message.
/// </summary>
public class TerminalException(ErrorKind kind, string code, string message) : Exception(message)
{
    public ErrorKind Kind { get; } = kind;

    /// <summary>Stable, machine-readable snake_case code, e.g. <c>invalid_range</c>.</summary>
    public string Code { get; } = code;

    /// <summary>For <see cref="ErrorKind.TooManyRequests"/>: how long to wait, sent as <c>Retry-After</c> (whole seconds, rounded up).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static TerminalException BadRequest(string code, string message) => new(ErrorKind.BadRequest, code, message);
    public static TerminalException NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);
    public static TerminalException Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);
    public static TerminalException PaymentRequired(string code, string message) => new(ErrorKind.PaymentRequired, code, message);
    public static TerminalException Forbidden(string code, string message) => new(ErrorKind.Forbidden, code, message);
    public static TerminalException Unauthorized(string code, string message) => new(ErrorKind.Unauthorized, code, message);
    public static TerminalException TooManyRequests(string code, string message, TimeSpan? retryAfter = null) =>
        new(ErrorKind.TooManyRequests, code, message) { RetryAfter = retryAfter };

    /// <summary><c>Retry-After</c>'s whole seconds for <paramref name="wait"/>: rounded up, at least 1.</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
