using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Data;
using Terminal.Data.DataProtection;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Data.DataProtection;

/// <summary>SPEC §8: the Data Protection key ring never sits unprotected beside the data.</summary>
public sealed class KeyRingProtectionTests
{
    [Fact]
    public async Task EmbeddedDefault_DataDirectoryAndKeys_AreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes; Windows ACLs are the operator's
        }

        using var factory = new TerminalWebFactory();
        // Make the app write its database and its first key.
        _ = await factory.CreateUserClientAsync();

        var keys = Path.Combine(factory.DataDirectory, "keys");
        File.GetUnixFileMode(factory.DataDirectory).Should().Be(OwnerOnlyFiles.DirectoryMode);
        File.GetUnixFileMode(keys).Should().Be(OwnerOnlyFiles.DirectoryMode);
        var keyFiles = Directory.GetFiles(keys, "*.xml");
        keyFiles.Should().NotBeEmpty();
        keyFiles.Select(File.GetUnixFileMode).Should().AllBeEquivalentTo(OwnerOnlyFiles.FileMode);
        File.GetUnixFileMode(Path.Combine(factory.DataDirectory, "terminal.db")).Should().Be(OwnerOnlyFiles.FileMode);
    }

    [Fact]
    public async Task ExistingDataDirectory_OpenToOthers_IsNarrowedAtStart()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var factory = new TerminalWebFactory();
        File.SetUnixFileMode(factory.DataDirectory, (UnixFileMode)0b111_101_101); // 0755, as an older version left it
        var leftOver = Path.Combine(factory.DataDirectory, "notes.txt");
        await File.WriteAllTextAsync(leftOver, "x");
        File.SetUnixFileMode(leftOver, (UnixFileMode)0b110_100_100); // 0644

        _ = factory.CreateApiClient();

        File.GetUnixFileMode(factory.DataDirectory).Should().Be(OwnerOnlyFiles.DirectoryMode);
        File.GetUnixFileMode(leftOver).Should().Be(OwnerOnlyFiles.FileMode);
    }

    [Fact]
    public async Task DatabaseStore_PersistsTheKeyRingInTheDatabase_NotTheDataDirectory()
    {
        using var factory = new TerminalWebFactory();
        factory.Settings["Terminal:DataProtection:Store"] = "Database";

        _ = await factory.CreateUserClientAsync();

        (await KeyXmlAsync(factory)).Should().NotBeEmpty();
        Directory.Exists(Path.Combine(factory.DataDirectory, "keys")).Should().BeFalse();
    }

    [Fact]
    public async Task Certificate_EncryptsTheKeysAtRest_AndAnotherNodeWithItReadsThem()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clip-terminal-tests", "cert-" + Guid.NewGuid().ToString("N"));
        var pfx = Path.Combine(Path.GetTempPath(), $"dp-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=clip-terminal-dataprotection-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-passw0rd"));
        }

        try
        {
            string token;
            using (var first = NodeWithCertificate(dataDirectory, pfx))
            {
                token = (await first.CreateUserClientAsync()).AccessToken;
                var xml = await KeyXmlAsync(first);
                xml.Should().NotBeEmpty();
                xml.Should().AllSatisfy(x =>
                {
                    x.Should().Contain("EncryptedData");
                    x.Should().NotContain("<value>", "the master key must not be stored in the clear");
                });
            }

            // A second node (here: a restart) with the same database and certificate reads the key ring.
            using var second = NodeWithCertificate(dataDirectory, pfx);
            var client = second.CreateApiClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.GetAsync("/api/auth/user")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            File.Delete(pfx);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // still held; the OS temp cleaner takes it
            }
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, null, DataProtectionKeyStore.FileSystem)]
    [InlineData(DatabaseProvider.SqlServer, null, DataProtectionKeyStore.Database)]
    [InlineData(DatabaseProvider.Sqlite, DataProtectionKeyStore.Database, DataProtectionKeyStore.Database)]
    [InlineData(DatabaseProvider.SqlServer, DataProtectionKeyStore.FileSystem, DataProtectionKeyStore.FileSystem)]
    public void Store_DefaultsToTheDatabase_WithSqlServer(DatabaseProvider provider, DataProtectionKeyStore? configured, DataProtectionKeyStore expected) =>
        new DataProtectionSettings { Store = configured }.EffectiveStore(provider).Should().Be(expected);

    private static TerminalWebFactory NodeWithCertificate(string dataDirectory, string pfx)
    {
        var factory = new TerminalWebFactory();
        factory.Settings["Terminal:DataDirectory"] = dataDirectory;
        factory.Settings["Terminal:DataProtection:Store"] = "Database";
        factory.Settings["Terminal:DataProtection:CertificatePath"] = pfx;
        factory.Settings["Terminal:DataProtection:CertificatePassword"] = "pfx-passw0rd";
        return factory;
    }

    private static async Task<List<string>> KeyXmlAsync(TerminalWebFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TerminalDbContext>();
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }
}
