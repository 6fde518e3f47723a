using Terminal.Data.Insights;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<PostSnapshot> PostSnapshots => Set<PostSnapshot>();

    public DbSet<RejectedModelAnswer> RejectedModelAnswers => Set<RejectedModelAnswer>();

    // Post features are computed once, when a clip or post is written, whichever store writes it.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var autoDetect = StampPostFeatures();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var autoDetect = StampPostFeatures();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>
    /// Detects changes once (when the context detects them at all), stamps the features, and leaves
    /// detection off for the save that follows, so a save with many tracked rows is scanned once, not twice.
    /// Returns the setting to restore.
    /// </summary>
    private bool StampPostFeatures()
    {
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        if (autoDetect)
        {
            ChangeTracker.DetectChanges();
            ChangeTracker.AutoDetectChangesEnabled = false;
        }

        StoredPostFeatures.Stamp(ChangeTracker);
        return autoDetect;
    }
}
