namespace Terminal.Core.Secrets;

/// <summary>
/// Where developer credentials and OAuth tokens live (SPEC §6). The database keeps only the
/// reference this store hands back; the value itself is encrypted at rest (Data Protection locally,
/// Azure Key Vault in production) and never logged.
/// </summary>
public interface ISecretStore
{
    /// <summary>Stores <paramref name="value"/> and returns its reference. Passing an existing
    /// <paramref name="reference"/> replaces that secret's value (a new version in Key Vault).</summary>
    Task<string> SetAsync(string value, string? reference = null, CancellationToken cancellationToken = default);

    /// <summary>The secret's value, or null when there is no secret under that reference.</summary>
    Task<string?> GetAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>Removes the secret; a missing one is not an error.</summary>
    Task DeleteAsync(string reference, CancellationToken cancellationToken = default);
}

/// <summary>Secret references: opaque names valid in every store (Key Vault allows 1–127 of [0-9a-zA-Z-]).</summary>
public static class SecretReferences
{
    public static string New() => "ct-" + Guid.NewGuid().ToString("N");

    public static bool IsValid(string? reference) =>
        !string.IsNullOrEmpty(reference) && reference.Length <= 127 && reference.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
