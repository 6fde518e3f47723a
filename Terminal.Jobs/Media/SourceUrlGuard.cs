using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Terminal.Core.Common;

namespace Terminal.Jobs.Media;

/// <summary>
/// SSRF guard for VOD sources at registration (SPEC §4, §8): only absolute http/https URLs without
/// credentials, whose host resolves only to addresses <see cref="AddressPolicy"/> allows (globally
/// routable, or an origin listed in <c>Terminal:Media:AllowedPrivateOrigins</c>, or anything with
/// <c>AllowPrivateNetworks</c>). This is the early, friendly refusal; every connection the pipeline
/// makes later is checked again on the address it connects to (<see cref="MediaHttpClient"/>).
/// </summary>
public sealed class SourceUrlGuard(IOptions<MediaOptions> options, HostResolver? resolver = null)
{
    private readonly AddressPolicy _policy = new(options);

    /// <summary>Resolver seam (tests); defaults to <see cref="HostResolver"/>.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; init; } = (resolver ?? new HostResolver()).ResolveAsync;

    /// <summary>Returns the parsed URL or throws 400 <c>invalid_source_url</c> / <c>forbidden_source</c>.</summary>
    public async Task<Uri> CheckAsync(string? sourceUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sourceUrl) || sourceUrl.Length > 2048 ||
            !Uri.TryCreate(sourceUrl.Trim(), UriKind.Absolute, out var uri))
        {
            throw TerminalException.BadRequest("invalid_source_url", "sourceUrl must be an absolute http or https URL.");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw TerminalException.BadRequest("invalid_source_url", $"Only http and https sources are taken; this one is {uri.Scheme.ToUpperInvariant()}.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw TerminalException.BadRequest("invalid_source_url", "Credentials in the source URL are not accepted.");
        }

        if (options.Value.AllowPrivateNetworks || _policy.IsAllowedOrigin(uri))
        {
            return uri;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Resolve(uri.IdnHost.Trim('[', ']'), cancellationToken);
        }
        catch (SocketException)
        {
            throw TerminalException.BadRequest("invalid_source_url", $"The host {uri.Host} does not resolve.");
        }

        if (addresses.Length == 0)
        {
            throw TerminalException.BadRequest("invalid_source_url", $"The host {uri.Host} does not resolve.");
        }

        if (addresses.Any(IsPrivate))
        {
            throw TerminalException.BadRequest("forbidden_source", "The source's address is refused; sources must be on the public internet.");
        }

        return uri;
    }

    /// <summary>True for addresses a server must not be made to fetch from (anything not globally routable).</summary>
    public static bool IsPrivate(IPAddress address) => !AddressPolicy.IsGloballyRoutable(address);
}
