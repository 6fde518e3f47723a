using Terminal.Data.Insights;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<PostSnapshot> PostSnapshots => Set<PostSnapshot>();

    public DbSet<RejectedModelAnswer> RejectedModelAnswers => Set<RejectedModelAnswer>();

    // Post features are computed once, when a clip or post is written, whichever store writes it.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StoredPostFeatures.Stamp(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StoredPostFeatures.Stamp(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}
