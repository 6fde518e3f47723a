using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Terminal.Core.Common;

namespace Terminal.Jobs.Media;

/// <summary>
/// SSRF guard for VOD sources (SPEC §4, §8): only absolute http/https URLs without credentials, whose
/// host resolves only to public addresses — loopback, link-local, private, ULA, CGNAT, multicast and
/// unspecified addresses are refused unless <c>Terminal:Media:AllowPrivateNetworks</c> is on.
/// <para>REVIEW: ffmpeg resolves the host again when it reads (DNS rebinding) and an HLS playlist may
/// name other hosts; the protocol whitelist keeps it on http(s), but a hardened deployment should
/// also run ffmpeg behind an egress proxy or firewall that blocks private ranges.</para>
/// </summary>
public sealed class SourceUrlGuard(IOptions<MediaOptions> options)
{
    /// <summary>Resolver seam (tests); defaults to DNS.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; init; } = Dns.GetHostAddressesAsync;

    /// <summary>Returns the parsed URL or throws 400 <c>invalid_source</c> / <c>forbidden_source</c>.</summary>
    public async Task<Uri> CheckAsync(string? sourceUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sourceUrl) || sourceUrl.Length > 2048 ||
            !Uri.TryCreate(sourceUrl.Trim(), UriKind.Absolute, out var uri))
        {
            throw TerminalException.BadRequest("invalid_source", "sourceUrl must be an absolute http or https URL.");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw TerminalException.BadRequest("invalid_source", $"Only http and https sources are taken, not {uri.Scheme}:.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw TerminalException.BadRequest("invalid_source", "Credentials in the source URL are not accepted.");
        }

        if (options.Value.AllowPrivateNetworks)
        {
            return uri;
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.DnsSafeHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Resolve(uri.DnsSafeHost, cancellationToken);
            }
            catch (SocketException)
            {
                throw TerminalException.BadRequest("invalid_source", $"The host {uri.Host} does not resolve.");
            }
        }

        if (addresses.Length == 0)
        {
            throw TerminalException.BadRequest("invalid_source", $"The host {uri.Host} does not resolve.");
        }

        if (addresses.FirstOrDefault(IsPrivate) is { } blocked)
        {
            throw TerminalException.BadRequest("forbidden_source", $"The host {uri.Host} resolves to a non-public address ({blocked}); sources must be on the public internet.");
        }

        return uri;
    }

    /// <summary>True for addresses a server must not be made to fetch from.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] >= 64 && b[1] <= 127,           // 100.64/10 CGNAT
                169 => b[1] == 254,                          // link-local (cloud metadata)
                172 => b[1] >= 16 && b[1] <= 31,
                192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99),
                198 => b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100),
                203 => b[1] == 0 && b[2] == 113,
                >= 224 => true,                              // multicast, reserved, broadcast
                _ => false,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast ||
                   (b[0] & 0xFE) == 0xFC ||                  // fc00::/7 unique local
                   (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) || // documentation
                   (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B);   // NAT64 can reach IPv4 private space
        }

        return true;
    }
}
