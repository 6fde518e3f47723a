using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Terminal.Core.Secrets;

namespace Terminal.Data.Secrets;

public static class SecretStoreRegistration
{
    /// <summary>Key Vault when <c>Terminal:KeyVault:Uri</c> is set (DefaultAzureCredential: managed
    /// identity in Azure, developer sign-in locally), else the Data Protection store in the database.</summary>
    public static IServiceCollection AddTerminalSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        var uri = configuration[$"{KeyVaultOptions.Section}:Uri"];
        if (!string.IsNullOrWhiteSpace(uri))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var vault) || vault.Scheme != Uri.UriSchemeHttps)
            {
                throw new Microsoft.Extensions.Options.OptionsValidationException(KeyVaultOptions.Section, typeof(KeyVaultOptions),
                    ["Terminal:KeyVault:Uri must be an absolute https address such as https://my-vault.vault.azure.net/."]);
            }

            services.TryAddSingleton(_ => new SecretClient(vault, new DefaultAzureCredential()));
            services.TryAddSingleton<ISecretStore, KeyVaultSecretStore>();
        }
        else
        {
            services.TryAddSingleton<ISecretStore, DataProtectionSecretStore>();
        }

        return services;
    }
}
