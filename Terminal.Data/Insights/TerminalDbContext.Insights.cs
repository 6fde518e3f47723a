using Terminal.Data.Insights;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<PostSnapshot> PostSnapshots => Set<PostSnapshot>();
}
