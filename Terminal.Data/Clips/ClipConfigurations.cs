using Terminal.Core.Clips;
using Terminal.Core.Market;

namespace Terminal.Data.Clips;

internal sealed class ClipRequestConfiguration : IEntityTypeConfiguration<ClipRequest>
{
    public void Configure(EntityTypeBuilder<ClipRequest> builder)
    {
        builder.ToTable("ClipRequests");
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.Property(c => c.Mode).HasConversion<int>();
        builder.Property(c => c.Status).HasConversion<int>();
        builder.Property(c => c.Strategy).HasConversion<int?>();
        builder.Property(c => c.FallbackReason).HasMaxLength(ClipRequest.FallbackReasonMaxLength);
        builder.Property(c => c.Error).HasMaxLength(1024);
        builder.Property(c => c.Worker).HasMaxLength(128);
        builder.Property(c => c.OutputFile).HasMaxLength(256);
        builder.Ignore(c => c.DurationSeconds);
        builder.Ignore(c => c.IsFinal);
        builder.HasIndex(c => new { c.UserId, c.CreatedAt });
        builder.HasIndex(c => new { c.Status, c.CreatedAt });
        builder.HasIndex(c => c.ExpiresAt);
        builder.HasOne<Vod>().WithMany().HasForeignKey(c => c.VodId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VodMediaConfiguration : IEntityTypeConfiguration<VodMedia>
{
    public void Configure(EntityTypeBuilder<VodMedia> builder)
    {
        builder.ToTable("VodMedia");
        builder.HasKey(m => m.VodId);
        builder.Property(m => m.VideoCodec).HasMaxLength(64);
        builder.Property(m => m.AudioCodec).HasMaxLength(64);
        builder.Property(m => m.ThumbnailFile).HasMaxLength(512);
        builder.Property(m => m.PlayerFile).HasMaxLength(512);
        builder.HasOne<Vod>().WithOne().HasForeignKey<VodMedia>(m => m.VodId).OnDelete(DeleteBehavior.Cascade);
    }
}
