using Terminal.Core.Market;
using Terminal.Core.MarketSources;

namespace Terminal.Data.MarketSources;

/// <summary>One row per platform source: credentials reference, status, the quota ledger of the current
/// Pacific day and the planner's state.</summary>
public sealed class MarketSourceRow
{
    public Platform Platform { get; set; }

    public SourceStatus Status { get; set; }

    public string? Reason { get; set; }

    public string? SecretReference { get; set; }

    public string? KeyHint { get; set; }

    public string? AccountId { get; set; }

    public string QuotaDay { get; set; } = "";

    public int QuotaUsed { get; set; }

    public DateTime? BlockedUntil { get; set; }

    public DateTime? LastRunAt { get; set; }

    public string? LastError { get; set; }

    public DateTime? NextPollAt { get; set; }
}

/// <summary>A monitored platform channel (creator or clipper).</summary>
public sealed class MonitoredChannelRow
{
    public int Id { get; set; }

    public Platform Platform { get; set; }

    public ChannelRole Role { get; set; }

    public required string ExternalId { get; set; }

    public required string Handle { get; set; }

    public required string Title { get; set; }

    public int EntityId { get; set; }

    public string? UploadsPlaylistId { get; set; }

    public long? LastVideoCount { get; set; }

    public DateTime? LastUploadsAt { get; set; }

    public bool Active { get; set; } = true;

    /// <summary>Clippers: comma-separated creator ids of the admin's mapping.</summary>
    public string CreatorIds { get; set; } = "";

    public DateTime AddedAt { get; set; }
}

/// <summary>A followed platform video.</summary>
public sealed class TrackedVideoRow
{
    public Platform Platform { get; set; }

    public required string VideoId { get; set; }

    public int ChannelId { get; set; }

    public ChannelRole Role { get; set; }

    public DateTime PublishedAt { get; set; }

    public int? ClipId { get; set; }

    public Guid? VodId { get; set; }

    public bool Live { get; set; }

    public long? ConcurrentViewers { get; set; }

    public string? Title { get; set; }

    public DateTime? LiveStartedAt { get; set; }

    public long LastViews { get; set; }

    public DateTime? LastChangedAt { get; set; }

    public string? Attribution { get; set; }
}

/// <summary>One polling run of a source.</summary>
public sealed class SourceRunRow
{
    public long Id { get; set; }

    public Platform Platform { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime FinishedAt { get; set; }

    public int Calls { get; set; }

    public int Units { get; set; }

    public int Records { get; set; }

    public int Errors { get; set; }

    public string? Error { get; set; }
}

internal sealed class MarketSourceRowConfiguration : IEntityTypeConfiguration<MarketSourceRow>
{
    public void Configure(EntityTypeBuilder<MarketSourceRow> builder)
    {
        builder.ToTable("MarketSources");
        builder.HasKey(s => s.Platform);
        builder.Property(s => s.Platform).HasConversion<int>().ValueGeneratedNever();
        builder.Property(s => s.Status).HasConversion<int>();
        builder.Property(s => s.Reason).HasMaxLength(512);
        builder.Property(s => s.SecretReference).HasMaxLength(128);
        builder.Property(s => s.KeyHint).HasMaxLength(8);
        builder.Property(s => s.AccountId).HasMaxLength(64);
        builder.Property(s => s.QuotaDay).HasMaxLength(10);
        builder.Property(s => s.LastError).HasMaxLength(512);
    }
}

internal sealed class MonitoredChannelRowConfiguration : IEntityTypeConfiguration<MonitoredChannelRow>
{
    public void Configure(EntityTypeBuilder<MonitoredChannelRow> builder)
    {
        builder.ToTable("MonitoredChannels");
        builder.Property(c => c.Platform).HasConversion<int>();
        builder.Property(c => c.Role).HasConversion<int>();
        builder.Property(c => c.ExternalId).HasMaxLength(64);
        builder.Property(c => c.Handle).HasMaxLength(64);
        builder.Property(c => c.Title).HasMaxLength(256);
        builder.Property(c => c.UploadsPlaylistId).HasMaxLength(64);
        builder.Property(c => c.CreatorIds).HasMaxLength(1024);
        builder.HasIndex(c => new { c.Platform, c.ExternalId }).IsUnique();
        builder.HasIndex(c => new { c.Role, c.EntityId });
    }
}

internal sealed class TrackedVideoRowConfiguration : IEntityTypeConfiguration<TrackedVideoRow>
{
    public void Configure(EntityTypeBuilder<TrackedVideoRow> builder)
    {
        builder.ToTable("TrackedVideos");
        builder.HasKey(v => new { v.Platform, v.VideoId });
        builder.Property(v => v.Platform).HasConversion<int>();
        builder.Property(v => v.Role).HasConversion<int>();
        builder.Property(v => v.VideoId).HasMaxLength(64);
        builder.Property(v => v.Title).HasMaxLength(256);
        builder.Property(v => v.Attribution).HasMaxLength(256);
        builder.HasIndex(v => v.ChannelId);
    }
}

internal sealed class SourceRunRowConfiguration : IEntityTypeConfiguration<SourceRunRow>
{
    public void Configure(EntityTypeBuilder<SourceRunRow> builder)
    {
        builder.ToTable("MarketSourceRuns");
        builder.Property(r => r.Platform).HasConversion<int>();
        builder.Property(r => r.Error).HasMaxLength(512);
        builder.HasIndex(r => r.StartedAt);
    }
}
