using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Terminal.Core.Clips;

/// <summary>
/// Signed, expiring download links (SPEC §8). The signature is
/// <c>base64url(HMAC-SHA256(key, "{requestId:N}.{expiresUnixSeconds}"))</c>; the link carries the
/// expiry and the signature, so it authorises itself without a cookie or bearer.
/// </summary>
public static class SignedLinks
{
    public static string Sign(ReadOnlySpan<byte> key, Guid requestId, long expiresUnixSeconds)
    {
        var payload = Encoding.ASCII.GetBytes(Payload(requestId, expiresUnixSeconds));
        var mac = HMACSHA256.HashData(key, payload);
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>True when the signature matches (constant-time) and the link has not expired at <paramref name="now"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, Guid requestId, long expiresUnixSeconds, string? signature, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 64)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(key, requestId, expiresUnixSeconds));
        var actual = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual) && now.ToUnixTimeSeconds() < expiresUnixSeconds;
    }

    private static string Payload(Guid requestId, long expires) =>
        string.Create(CultureInfo.InvariantCulture, $"{requestId:N}.{expires}");
}
