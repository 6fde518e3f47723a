using System.Security.Cryptography;
using System.Text;

namespace Terminal.Core.LinkedAccounts;

/// <summary>RFC 7636 PKCE (S256) and OAuth <c>state</c> values.</summary>
public static class Pkce
{
    /// <summary>A 43-character base64url verifier (32 random bytes), within RFC 7636's 43–128.</summary>
    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary><c>BASE64URL(SHA256(ASCII(verifier)))</c>.</summary>
    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>An unguessable state value (32 random bytes, base64url).</summary>
    public static string NewState() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The state as it is stored: a SHA-256 hash, so a database read does not yield a usable state.</summary>
    public static string HashState(string state) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
