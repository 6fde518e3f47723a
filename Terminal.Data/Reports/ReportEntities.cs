using Terminal.Core.Reports;
using Terminal.Data.Accounts;

namespace Terminal.Data.Reports;

/// <summary>A report row (SPEC §11); <see cref="FilePath"/> is relative to the data directory.</summary>
public sealed class ReportEntity
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public ReportKind Kind { get; set; }

    /// <summary><c>7d</c>, <c>30d</c> or <c>90d</c>.</summary>
    public required string Period { get; set; }

    /// <summary>The creator id of a <c>creator</c> report.</summary>
    public string? EntityId { get; set; }

    public ReportStatus Status { get; set; }

    /// <summary>0–100.</summary>
    public int Progress { get; set; }

    public string? FilePath { get; set; }

    public long? SizeBytes { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public string? Error { get; set; }

    /// <summary>The schedule that produced it, if any.</summary>
    public Guid? ScheduleId { get; set; }

    public ReportRecord ToRecord() => new(Id, UserId, Kind, Period, EntityId, Status, Progress, FilePath, CreatedAt, CompletedAt, Error, SizeBytes, ScheduleId);
}

/// <summary>A weekly or monthly report schedule of one user.</summary>
public sealed class ReportScheduleEntity
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public ReportKind Kind { get; set; }

    public ReportCadence Cadence { get; set; }

    public string? EntityId { get; set; }

    public DateTime CreatedAt { get; set; }

    public ReportScheduleView ToView() => new(Id, Kind, Cadence, EntityId, CreatedAt) { UserId = UserId };
}

internal sealed class ReportEntityConfiguration : IEntityTypeConfiguration<ReportEntity>
{
    public void Configure(EntityTypeBuilder<ReportEntity> builder)
    {
        builder.ToTable("Reports");
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.Property(r => r.Period).HasMaxLength(8);
        builder.Property(r => r.EntityId).HasMaxLength(64);
        builder.Property(r => r.FilePath).HasMaxLength(400);
        builder.Property(r => r.Error).HasMaxLength(400);
        builder.HasIndex(r => new { r.UserId, r.CreatedAt });
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReportScheduleEntityConfiguration : IEntityTypeConfiguration<ReportScheduleEntity>
{
    public void Configure(EntityTypeBuilder<ReportScheduleEntity> builder)
    {
        builder.ToTable("ReportSchedules");
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.Property(r => r.EntityId).HasMaxLength(64);
        builder.HasIndex(r => r.UserId);
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
