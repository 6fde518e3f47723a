using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Terminal.Jobs.Media;

/// <summary>
/// Which addresses the media pipeline may connect to (SPEC §4, §8): globally routable addresses only,
/// plus the origins listed in <c>Terminal:Media:AllowedPrivateOrigins</c>, or anything when
/// <c>Terminal:Media:AllowPrivateNetworks</c> is on (development). Applied to the address a connection
/// is actually made to, not to the name in the URL, so DNS cannot lead around it.
/// </summary>
public sealed class AddressPolicy(IOptions<MediaOptions> options)
{
    /// <summary>True when a connection for <paramref name="uri"/> may be made to <paramref name="address"/>.</summary>
    public bool IsAllowed(Uri uri, IPAddress address) =>
        options.Value.AllowPrivateNetworks || IsAllowedOrigin(uri) || IsGloballyRoutable(address);

    /// <summary>True when the URL's <c>scheme://host:port</c> is listed in <c>AllowedPrivateOrigins</c>.</summary>
    public bool IsAllowedOrigin(Uri uri)
    {
        var origin = Origin(uri);
        foreach (var listed in options.Value.AllowedPrivateOrigins)
        {
            if (Uri.TryCreate(listed?.Trim(), UriKind.Absolute, out var allowed) && string.Equals(Origin(allowed), origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>scheme://host:port</c>, port always written.</summary>
    public static string Origin(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}".ToLowerInvariant();

    /// <summary>
    /// True only for unicast addresses on the public internet. IPv6 forms that embed an IPv4 address
    /// (IPv4-mapped <c>::ffff:a.b.c.d</c>, IPv4-compatible <c>::a.b.c.d</c>, 6to4 <c>2002:AABB:CCDD::</c>,
    /// NAT64 <c>64:ff9b::a.b.c.d</c>) are judged by the IPv4 address they reach; Teredo, the NAT64
    /// local-use prefix and everything outside 2000::/3 are refused.
    /// </summary>
    public static bool IsGloballyRoutable(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsGlobalV4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var b = address.GetAddressBytes();
        if (IsZero(b, 0, 10) && b[10] == 0xFF && b[11] == 0xFF)
        {
            return IsGlobalV4(b[12..16]); // ::ffff:a.b.c.d
        }

        if (IsZero(b, 0, 12))
        {
            return false; // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d — never needed, often mishandled
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
        {
            // 64:ff9b::/96 well-known NAT64 reaches the embedded IPv4 address; 64:ff9b:1::/48 is local use.
            return IsZero(b, 4, 8) && IsGlobalV4(b[12..16]);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsGlobalV4(b[2..6]); // 6to4
        }

        if ((b[0] & 0xE0) != 0x20)
        {
            return false; // outside 2000::/3 global unicast: ULA, link-local, multicast, reserved
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02)
        {
            return false; // 2001::/23 IETF protocol assignments, Teredo 2001::/32 among them
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
        {
            return false; // documentation
        }

        if (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0x00)
        {
            return false; // 3fff::/20 documentation
        }

        return true;
    }

    private static bool IsZero(byte[] bytes, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            if (bytes[i] != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsGlobalV4(byte[] b) => b[0] switch
    {
        0 or 10 or 127 => false,
        100 => b[1] is < 64 or > 127,                                   // 100.64/10 CGNAT
        169 => b[1] != 254,                                             // link-local (cloud metadata)
        172 => b[1] is < 16 or > 31,
        192 => !(b[1] == 168 || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99)),
        198 => !(b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100)),
        203 => !(b[1] == 0 && b[2] == 113),
        >= 224 => false,                                                // multicast, reserved, broadcast
        _ => true,
    };
}
