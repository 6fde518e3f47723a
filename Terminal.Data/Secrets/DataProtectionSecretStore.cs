using Microsoft.AspNetCore.DataProtection;
using Terminal.Core.Secrets;

namespace Terminal.Data.Secrets;

/// <summary>
/// The embedded default secret store (SPEC §6): values encrypted with ASP.NET Data Protection (keys in
/// the data directory) and kept in the <c>Secrets</c> table, so a database copy alone reveals nothing.
/// </summary>
public sealed class DataProtectionSecretStore(IDataProtectionProvider protection, IDbContextFactory<TerminalDbContext> dbFactory, TimeProvider clock) : ISecretStore
{
    /// <summary>The Data Protection purpose; a different purpose cannot decrypt these values.</summary>
    public const string Purpose = "Terminal.Secrets.v1";

    private readonly IDataProtector protector = protection.CreateProtector(Purpose);

    public async Task<string> SetAsync(string value, string? reference = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        reference ??= SecretReferences.New();
        if (!SecretReferences.IsValid(reference))
        {
            throw new ArgumentException("Not a valid secret reference.", nameof(reference));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Secrets.FindAsync([reference], cancellationToken);
        var ciphertext = protector.Protect(value);
        if (row is null)
        {
            db.Secrets.Add(new StoredSecret { Reference = reference, Ciphertext = ciphertext, UpdatedAt = clock.GetUtcNow().UtcDateTime });
        }
        else
        {
            row.Ciphertext = ciphertext;
            row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        }

        await db.SaveChangesAsync(cancellationToken);
        return reference;
    }

    public async Task<string?> GetAsync(string reference, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ciphertext = await db.Secrets.AsNoTracking().Where(s => s.Reference == reference).Select(s => s.Ciphertext).FirstOrDefaultAsync(cancellationToken);
        return ciphertext is null ? null : protector.Unprotect(ciphertext);
    }

    public async Task DeleteAsync(string reference, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Secrets.Where(s => s.Reference == reference).ExecuteDeleteAsync(cancellationToken);
    }
}
