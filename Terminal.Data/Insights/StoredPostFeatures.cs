using Microsoft.EntityFrameworkCore.ChangeTracking;
using Terminal.Core.Insights;
using Terminal.Core.Market;
using Terminal.Data.LinkedAccounts;

namespace Terminal.Data.Insights;

/// <summary>
/// Post features computed once and stored (SPEC §10, issue #13): a <c>Features</c> column on market
/// clips and linked-account posts holding <see cref="PostFeatures.Encode"/>. The context stamps it on
/// every save of an added or changed row (<see cref="Stamp"/>), whichever store writes the row; rows
/// stored before the column existed, or under an older <see cref="PostFeatures.Version"/>, are filled
/// by <see cref="BackfillAsync"/> (run by the insights refresh job). Insights read the column and
/// compute only for a row the backfill has not reached yet.
/// </summary>
public static class StoredPostFeatures
{
    /// <summary>The column (a shadow property: the features are a storage concern, not part of the Core entity).</summary>
    public const string Column = "Features";

    public const int MaxLength = 96;

    /// <summary>Features of a market clip as insights define them (<see cref="InsightRows.ClipFeatures"/>).</summary>
    public static PostFeatures Of(MarketClip clip) => InsightRows.ClipFeatures(clip);

    /// <summary>
    /// Features of a linked-account post (format: the platform's, else its usual one). In UTC: no
    /// connector returns the creator's time zone (REVIEW: when one does, pass it here and bump
    /// <see cref="PostFeatures.Version"/> so stored rows are recomputed).
    /// </summary>
    public static PostFeatures Of(PlatformPost post) =>
        PostFeatures.Compute(post.Title, post.Platform, post.PublishedAt, post.DurationSeconds, post.Format ?? InsightRows.DefaultFormat(post.Platform));

    /// <summary>Sets the column of every added or modified clip and post tracked by <paramref name="tracker"/> (called before each save).</summary>
    internal static void Stamp(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries<MarketClip>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                Set(entry, Of(entry.Entity));
            }
        }

        foreach (var entry in tracker.Entries<PlatformPost>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                Set(entry, Of(entry.Entity));
            }
        }
    }

    /// <summary>
    /// Computes and stores the features of up to <paramref name="batch"/> clips and <paramref name="batch"/>
    /// posts whose column is empty or of an older version; returns how many rows it wrote (0: all current).
    /// </summary>
    public static async Task<int> BackfillAsync(IDbContextFactory<TerminalDbContext> dbFactory, int batch, CancellationToken cancellationToken = default)
    {
        var current = PostFeatures.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var clips = await db.Clips
            .Where(c => EF.Property<string?>(c, Column) == null || !EF.Property<string>(c, Column).StartsWith(current))
            .OrderBy(c => c.Id).Take(batch).ToListAsync(cancellationToken);
        var posts = await db.PlatformPosts
            .Where(p => EF.Property<string?>(p, Column) == null || !EF.Property<string>(p, Column).StartsWith(current))
            .OrderBy(p => p.Id).Take(batch).ToListAsync(cancellationToken);
        foreach (var clip in clips)
        {
            Set(db.Entry(clip), Of(clip));
        }

        foreach (var post in posts)
        {
            Set(db.Entry(post), Of(post));
        }

        await db.SaveChangesAsync(cancellationToken);
        return clips.Count + posts.Count;
    }

    private static void Set(EntityEntry entry, PostFeatures features) => entry.Property(Column).CurrentValue = features.Encode();
}

/// <summary><see cref="IPostFeatureBackfill"/> over the database (<see cref="StoredPostFeatures.BackfillAsync"/>).</summary>
public sealed class PostFeatureBackfill(IDbContextFactory<TerminalDbContext> dbFactory) : IPostFeatureBackfill
{
    public Task<int> RunAsync(int batch, CancellationToken cancellationToken = default) => StoredPostFeatures.BackfillAsync(dbFactory, batch, cancellationToken);
}

internal sealed class ClipFeaturesConfiguration : IEntityTypeConfiguration<MarketClip>
{
    public void Configure(EntityTypeBuilder<MarketClip> builder) => builder.Property<string?>(StoredPostFeatures.Column).HasMaxLength(StoredPostFeatures.MaxLength);
}

internal sealed class PostFeaturesConfiguration : IEntityTypeConfiguration<PlatformPost>
{
    public void Configure(EntityTypeBuilder<PlatformPost> builder) => builder.Property<string?>(StoredPostFeatures.Column).HasMaxLength(StoredPostFeatures.MaxLength);
}
