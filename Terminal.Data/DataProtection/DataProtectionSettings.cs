namespace Terminal.Data.DataProtection;

public enum DataProtectionKeyStore
{
    /// <summary>The embedded default: XML files in <c>&lt;data&gt;/keys</c>, owner-only.</summary>
    FileSystem = 0,

    /// <summary>The <c>DataProtectionKeys</c> table: one key ring shared by every node.</summary>
    Database = 1,
}

/// <summary><c>Terminal:DataProtection</c>: where the key ring lives and what protects it at rest (SPEC §8).</summary>
public sealed class DataProtectionSettings
{
    public const string Section = "Terminal:DataProtection";

    /// <summary>Unset: <see cref="DataProtectionKeyStore.Database"/> with the SQL Server provider, else the file system.</summary>
    public DataProtectionKeyStore? Store { get; set; }

    /// <summary>A PKCS#12 (.pfx) certificate with its private key that encrypts the keys at rest.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    public DataProtectionKeyStore EffectiveStore(DatabaseProvider provider) =>
        Store ?? (provider == DatabaseProvider.SqlServer ? DataProtectionKeyStore.Database : DataProtectionKeyStore.FileSystem);
}
