using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Terminal.Data.DataProtection;

public static class DataProtectionRegistration
{
    /// <summary>
    /// Data Protection protects cookies, bearer tokens and stored secrets, so its key ring never sits
    /// unprotected beside the data (SPEC §8): embedded, owner-only files in <c>&lt;data&gt;/keys</c>;
    /// production, the database (shared by all nodes) and, given a certificate, encrypted with it.
    /// </summary>
    public static IServiceCollection AddTerminalDataProtection(this IServiceCollection services, IConfiguration configuration,
        string dataDirectory, DatabaseProvider provider)
    {
        var settings = configuration.GetSection(DataProtectionSettings.Section).Get<DataProtectionSettings>() ?? new();
        var builder = services.AddDataProtection().SetApplicationName("ClipTerminal");
        if (settings.EffectiveStore(provider) == DataProtectionKeyStore.Database)
        {
            builder.PersistKeysToDbContext<TerminalDbContext>();
        }
        else
        {
            var keys = Path.Combine(dataDirectory, "keys");
            OwnerOnlyFiles.SecureDirectory(keys);
            builder.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            var certificate = LoadCertificate(settings);
            builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        return services;
    }

    private static X509Certificate2 LoadCertificate(DataProtectionSettings settings)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath!, settings.CertificatePassword);
            if (!certificate.HasPrivateKey)
            {
                throw new OptionsValidationException(DataProtectionSettings.Section, typeof(DataProtectionSettings),
                    ["Terminal:DataProtection:CertificatePath must be a PKCS#12 file with the private key."]);
            }

            return certificate;
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new OptionsValidationException(DataProtectionSettings.Section, typeof(DataProtectionSettings),
                [$"Terminal:DataProtection:CertificatePath could not be loaded ({e.Message}); check the path and CertificatePassword."]);
        }
    }
}
