using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Terminal.Core.Billing;

/// <summary>
/// Makes and recognises external API keys: <c>ct_</c> + 32 random bytes (base64url). The key is
/// shown once; only its SHA-256 and a short visible prefix are kept.
/// </summary>
public static class ApiKeyMaterial
{
    public const string KeyPrefix = "ct_";

    /// <summary>Characters of the key kept in clear to tell keys apart (<c>ct_</c> + 8).</summary>
    public const int VisiblePrefixLength = 11;

    public sealed record NewKey(string Key, string Prefix, string Hash);

    public static NewKey Generate()
    {
        var key = KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new NewKey(key, key[..VisiblePrefixLength], Hash(key));
    }

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Cheap shape check before any lookup.</summary>
    public static bool LooksLikeKey(string? key) =>
        key is { Length: > VisiblePrefixLength and < 200 } && key.StartsWith(KeyPrefix, StringComparison.Ordinal);
}
