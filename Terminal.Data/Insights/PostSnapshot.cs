using Terminal.Data.LinkedAccounts;

namespace Terminal.Data.Insights;

/// <summary>
/// One reading of a linked-account post's numbers, written on every sync (SPEC §10: views at a fixed
/// age are interpolated between stored readings; <see cref="PlatformPost"/> keeps only the latest).
/// </summary>
public sealed class PostSnapshot
{
    public long Id { get; set; }

    public long PlatformPostId { get; set; }

    public DateTime At { get; set; }

    public long? Views { get; set; }

    public long? Likes { get; set; }

    public long? Comments { get; set; }

    public long? Shares { get; set; }
}

internal sealed class PostSnapshotConfiguration : IEntityTypeConfiguration<PostSnapshot>
{
    public void Configure(EntityTypeBuilder<PostSnapshot> builder)
    {
        builder.ToTable("PostSnapshots");
        builder.HasIndex(s => new { s.PlatformPostId, s.At });
        builder.HasOne<PlatformPost>().WithMany().HasForeignKey(s => s.PlatformPostId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Appends post snapshots; the sync calls it after saving a page of posts.</summary>
public static class PostSnapshotStore
{
    /// <summary>Adds one reading per post (their current numbers, at <paramref name="at"/>) and saves.</summary>
    public static async Task AppendAsync(TerminalDbContext db, IEnumerable<PlatformPost> posts, DateTime at, CancellationToken cancellationToken = default)
    {
        foreach (var post in posts)
        {
            db.PostSnapshots.Add(new PostSnapshot { PlatformPostId = post.Id, At = at, Views = post.Views, Likes = post.Likes, Comments = post.Comments, Shares = post.Shares });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
