using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;

namespace Terminal.Data;

/// <summary>The Data Protection key ring's table, used when <c>Terminal:DataProtection:Store</c> is <c>Database</c>.</summary>
public partial class TerminalDbContext : IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}
