using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Data.Accounts;

namespace Terminal.Data.Alerts;

/// <summary>A user's named watchlist (SPEC §11); its members are <see cref="WatchlistItemRow"/>s.</summary>
public sealed class WatchlistRow
{
    public long Id { get; set; }

    public string UserId { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<WatchlistItemRow> Items { get; set; } = [];
}

public sealed class WatchlistItemRow
{
    public long Id { get; set; }

    public long WatchlistId { get; set; }

    public EntityKind Type { get; set; }

    public int EntityId { get; set; }

    public Platform? Platform { get; set; }

    /// <summary>Keeps the order the user gave.</summary>
    public int Position { get; set; }
}

public sealed class AlertRuleRow
{
    public long Id { get; set; }

    public string UserId { get; set; } = "";

    public AlertKind Kind { get; set; }

    public AlertScopeType ScopeType { get; set; }

    public long ScopeId { get; set; }

    public double Threshold { get; set; }

    public int CooldownMinutes { get; set; }

    public AlertChannels Channels { get; set; }

    public Period Period { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>A stored firing. Deleting its rule keeps the history (no foreign key to the rule).</summary>
public sealed class AlertFiringRow
{
    public long Id { get; set; }

    public long RuleId { get; set; }

    public string UserId { get; set; } = "";

    public AlertKind Kind { get; set; }

    public string Entity { get; set; } = "";

    public string Message { get; set; } = "";

    public double Value { get; set; }

    public DateTime At { get; set; }

    public DateTime? AcknowledgedAt { get; set; }
}

/// <summary>A webhook receiver. The signing secret is in the secret store; only its reference is here.</summary>
public sealed class WebhookEndpointRow
{
    public long Id { get; set; }

    public string UserId { get; set; } = "";

    public string Url { get; set; } = "";

    public string SecretReference { get; set; } = "";

    public bool Enabled { get; set; } = true;

    public int ConsecutiveFailures { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? DisabledAt { get; set; }
}

public sealed class WebhookDeliveryRow
{
    public long Id { get; set; }

    public long EndpointId { get; set; }

    public long FiringId { get; set; }

    public int Attempt { get; set; }

    public int? ResponseCode { get; set; }

    public string? Error { get; set; }

    public DateTime At { get; set; }
}

internal sealed class WatchlistConfiguration : IEntityTypeConfiguration<WatchlistRow>
{
    public void Configure(EntityTypeBuilder<WatchlistRow> builder)
    {
        builder.ToTable("Watchlists");
        builder.Property(w => w.UserId).HasMaxLength(450);
        builder.Property(w => w.Name).HasMaxLength(100);
        builder.HasIndex(w => w.UserId);
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(w => w.Items).WithOne().HasForeignKey(i => i.WatchlistId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WatchlistItemConfiguration : IEntityTypeConfiguration<WatchlistItemRow>
{
    public void Configure(EntityTypeBuilder<WatchlistItemRow> builder)
    {
        builder.ToTable("WatchlistItems");
        builder.HasIndex(i => new { i.WatchlistId, i.Type, i.EntityId }).IsUnique();
    }
}

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRuleRow>
{
    public void Configure(EntityTypeBuilder<AlertRuleRow> builder)
    {
        builder.ToTable("AlertRules");
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.HasIndex(r => r.UserId);
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertFiringConfiguration : IEntityTypeConfiguration<AlertFiringRow>
{
    public void Configure(EntityTypeBuilder<AlertFiringRow> builder)
    {
        builder.ToTable("AlertFirings");
        builder.Property(f => f.UserId).HasMaxLength(450);
        builder.Property(f => f.Entity).HasMaxLength(64);
        builder.Property(f => f.Message).HasMaxLength(500);
        builder.HasIndex(f => new { f.UserId, f.At });
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpointRow>
{
    public void Configure(EntityTypeBuilder<WebhookEndpointRow> builder)
    {
        builder.ToTable("WebhookEndpoints");
        builder.Property(w => w.UserId).HasMaxLength(450);
        builder.Property(w => w.Url).HasMaxLength(2048);
        builder.Property(w => w.SecretReference).HasMaxLength(127);
        builder.HasIndex(w => w.UserId);
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDeliveryRow>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryRow> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.Property(d => d.Error).HasMaxLength(500);
        builder.HasIndex(d => new { d.EndpointId, d.At });
        builder.HasOne<WebhookEndpointRow>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
