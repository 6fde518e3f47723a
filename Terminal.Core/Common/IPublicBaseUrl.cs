namespace Terminal.Core.Common;

/// <summary>
/// The one place links and OAuth redirect URIs get their scheme, host and path base (SPEC §8): always
/// <c>Terminal:PublicBaseUrl</c> when it is set — never a <c>Host</c> header an attacker chose.
/// </summary>
public interface IPublicBaseUrl
{
    /// <summary><c>Terminal:PublicBaseUrl</c> without a trailing slash, or null when unset.</summary>
    string? Configured { get; }

    /// <summary>
    /// The base without a trailing slash: the configured one; else <paramref name="requestBase"/> (what a
    /// Blazor circuit knows as its base URI); else the current request's; else the server's own
    /// listening address (background jobs in development).
    /// </summary>
    string Resolve(string? requestBase = null);
}
