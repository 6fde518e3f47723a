using Terminal.Core.Market;

namespace Terminal.Data.Market;

internal sealed class TopicConfiguration : IEntityTypeConfiguration<Topic>
{
    public void Configure(EntityTypeBuilder<Topic> builder)
    {
        builder.ToTable("Topics");
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Slug).HasMaxLength(64);
        builder.Property(t => t.Name).HasMaxLength(128);
        builder.HasIndex(t => t.Slug).IsUnique();
    }
}

internal sealed class CreatorConfiguration : IEntityTypeConfiguration<Creator>
{
    public void Configure(EntityTypeBuilder<Creator> builder)
    {
        builder.ToTable("Creators");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Handle).HasMaxLength(64);
        builder.Property(c => c.DisplayName).HasMaxLength(128);
        builder.Property(c => c.Platform).HasConversion<int>();
        builder.HasIndex(c => new { c.Platform, c.Handle }).IsUnique();
        builder.HasIndex(c => c.TopicId);
        builder.HasOne<Topic>().WithMany().HasForeignKey(c => c.TopicId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ClipperAccountConfiguration : IEntityTypeConfiguration<ClipperAccount>
{
    public void Configure(EntityTypeBuilder<ClipperAccount> builder)
    {
        builder.ToTable("ClipperAccounts");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Handle).HasMaxLength(64);
        builder.Property(c => c.Platform).HasConversion<int>();
        builder.HasIndex(c => new { c.Platform, c.Handle }).IsUnique();
    }
}

internal sealed class MarketClipConfiguration : IEntityTypeConfiguration<MarketClip>
{
    public void Configure(EntityTypeBuilder<MarketClip> builder)
    {
        builder.ToTable("Clips");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Title).HasMaxLength(256);
        builder.Property(c => c.Platform).HasConversion<int>();
        builder.HasIndex(c => new { c.CreatorId, c.PublishedAt });
        builder.HasIndex(c => c.VodId);
        builder.HasOne<Creator>().WithMany().HasForeignKey(c => c.CreatorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ClipperAccount>().WithMany().HasForeignKey(c => c.ClipperId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Topic>().WithMany().HasForeignKey(c => c.TopicId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MetricSnapshotConfiguration : IEntityTypeConfiguration<MetricSnapshot>
{
    public void Configure(EntityTypeBuilder<MetricSnapshot> builder)
    {
        builder.ToTable("Snapshots");
        builder.Property(s => s.Kind).HasConversion<int>();
        // The series of one entity is read oldest-first and "latest at or before t" is a seek on this index.
        builder.HasIndex(s => new { s.Kind, s.EntityId, s.At });
        builder.HasIndex(s => s.At);
    }
}

internal sealed class VodConfiguration : IEntityTypeConfiguration<Vod>
{
    public void Configure(EntityTypeBuilder<Vod> builder)
    {
        builder.ToTable("Vods");
        builder.Property(v => v.Title).HasMaxLength(256);
        builder.Property(v => v.SourceUrl).HasMaxLength(2048);
        builder.Property(v => v.Status).HasConversion<int>();
        builder.Property(v => v.Error).HasMaxLength(1024);
        builder.Property(v => v.RegisteredByUserId).HasMaxLength(450);
        builder.Property(v => v.PlatformUrl).HasMaxLength(512);
        builder.Property(v => v.PlatformThumbnailUrl).HasMaxLength(512);
        builder.HasIndex(v => new { v.CreatorId, v.PublishedAt });
        builder.HasOne<Creator>().WithMany().HasForeignKey(v => v.CreatorId).OnDelete(DeleteBehavior.Restrict);
    }
}
