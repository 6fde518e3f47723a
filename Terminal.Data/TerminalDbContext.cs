using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Terminal.Core.Credits;
using Terminal.Core.Market;
using Terminal.Data.Accounts;

namespace Terminal.Data;

/// <summary>
/// The terminal's database. Provider-neutral: the SQLite and SQL Server subclasses exist only so
/// that each provider keeps its own migrations set (EF "Migrations with multiple providers").
/// Every entity is configured by an <see cref="IEntityTypeConfiguration{TEntity}"/> in its feature folder;
/// features add their DbSets in a partial of this class beside their configurations.
/// </summary>
public partial class TerminalDbContext(DbContextOptions options) : IdentityDbContext<TerminalUser>(options)
{
    public DbSet<Topic> Topics => Set<Topic>();
    public DbSet<Creator> Creators => Set<Creator>();
    public DbSet<ClipperAccount> ClipperAccounts => Set<ClipperAccount>();
    public DbSet<MarketClip> Clips => Set<MarketClip>();
    public DbSet<MetricSnapshot> Snapshots => Set<MetricSnapshot>();
    public DbSet<Vod> Vods => Set<Vod>();
    public DbSet<CreditEntry> CreditLedger => Set<CreditEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(TerminalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime in the model is UTC; SQLite hands back Unspecified without this.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime()) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

/// <summary>The embedded default provider; its migrations live in Migrations/Sqlite.</summary>
public sealed class SqliteTerminalDbContext(DbContextOptions<SqliteTerminalDbContext> options) : TerminalDbContext(options);

/// <summary>The production provider; its migrations live in Migrations/SqlServer.</summary>
public sealed class SqlServerTerminalDbContext(DbContextOptions<SqlServerTerminalDbContext> options) : TerminalDbContext(options);
