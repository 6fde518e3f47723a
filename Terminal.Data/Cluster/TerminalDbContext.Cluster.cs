using Terminal.Core.Cluster;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<Lease> Leases => Set<Lease>();
}
