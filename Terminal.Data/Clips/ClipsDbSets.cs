using Terminal.Core.Clips;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<ClipRequest> ClipRequests => Set<ClipRequest>();
    public DbSet<VodMedia> VodMedia => Set<VodMedia>();
}
