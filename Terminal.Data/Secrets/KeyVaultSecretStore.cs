using Azure;
using Azure.Security.KeyVault.Secrets;
using Terminal.Core.Secrets;

namespace Terminal.Data.Secrets;

/// <summary>
/// The production secret store (SPEC §6): each secret is a Key Vault secret named by its reference;
/// the database keeps only that name. Replacing a value adds a version; deleting starts Key Vault's
/// (soft) delete.
/// </summary>
public sealed class KeyVaultSecretStore(SecretClient client) : ISecretStore
{
    public async Task<string> SetAsync(string value, string? reference = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        reference ??= SecretReferences.New();
        if (!SecretReferences.IsValid(reference))
        {
            throw new ArgumentException("Not a valid secret reference.", nameof(reference));
        }

        var secret = new KeyVaultSecret(reference, value);
        secret.Properties.ContentType = "text/plain";
        secret.Properties.Tags["app"] = "clip-terminal";
        await client.SetSecretAsync(secret, cancellationToken);
        return reference;
    }

    public async Task<string?> GetAsync(string reference, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await client.GetSecretAsync(reference, cancellationToken: cancellationToken);
            return response.Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string reference, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.StartDeleteSecretAsync(reference, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }
}
