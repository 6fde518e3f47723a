using System.Data;
using Terminal.Core.Common;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;

namespace Terminal.Data.MarketSources;

/// <summary>A linked account contributing its public video stats to the market, and the creator it became.</summary>
public sealed class MarketContributionRow
{
    public long PlatformAccountId { get; set; }

    public required string UserId { get; set; }

    public Platform Platform { get; set; }

    public int CreatorId { get; set; }

    public DateTime OptedInAt { get; set; }

    /// <summary>The <c>AccountSnapshot.At</c> of the last sync published to the market.</summary>
    public DateTime? PublishedSyncAt { get; set; }
}

internal sealed class MarketContributionRowConfiguration : IEntityTypeConfiguration<MarketContributionRow>
{
    public void Configure(EntityTypeBuilder<MarketContributionRow> builder)
    {
        builder.ToTable("MarketContributions");
        builder.HasKey(c => c.PlatformAccountId);
        builder.Property(c => c.PlatformAccountId).ValueGeneratedNever();
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.Property(c => c.Platform).HasConversion<int>();
        builder.HasIndex(c => new { c.UserId, c.Platform });
        builder.HasIndex(c => c.CreatorId).IsUnique();
        builder.HasOne<Terminal.Data.LinkedAccounts.PlatformAccount>().WithMany().HasForeignKey(c => c.PlatformAccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The TikTok opt-in's store (SPEC §9): kept apart from the linked-account store, which only its
/// reads touch (the account, its latest sync snapshot).</summary>
public sealed class MarketContributionStore(TerminalDatabase database) : IMarketContributions
{
    public async Task<Contribution?> GetAsync(string userId, Platform platform, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.MarketContributions.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId && c.Platform == platform, cancellationToken);
        return row is null ? null : ToContribution(row);
    }

    public Task<(Contribution Contribution, Creator Creator, Topic Topic, bool TopicCreated, ContributedReading? Latest)> OptInAsync(
        string userId, Platform platform, DateTime now, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            var account = await db.PlatformAccounts.AsNoTracking()
                .Where(a => a.UserId == userId && a.Platform == platform && a.Status == LinkStatus.Connected)
                .OrderBy(a => a.Id).FirstOrDefaultAsync(ct)
                ?? throw TerminalException.Conflict("not_linked", $"Link a {platform.ToWire()} account first: only a connected account can contribute its public video stats.");
            var existing = await db.MarketContributions.FirstOrDefaultAsync(c => c.PlatformAccountId == account.Id, ct);
            Creator creator;
            Topic topic;
            var topicCreated = false;
            if (existing is not null)
            {
                creator = await db.Creators.AsNoTracking().FirstAsync(c => c.Id == existing.CreatorId, ct);
                topic = await db.Topics.AsNoTracking().FirstAsync(t => t.Id == creator.TopicId, ct);
            }
            else
            {
                (topic, topicCreated) = await MarketSourceStore.TopicAsync(db, platform == Platform.TikTok ? "TikTok creators" : "General", ct);
                var handle = await FreeHandleAsync(db, platform, MarketSourceStore.Slug(account.DisplayName ?? account.ExternalId ?? "creator").Replace("-", "", StringComparison.Ordinal), ct);
                creator = new Creator
                {
                    Id = await MarketSourceStore.NextIdAsync(db.Creators.Select(c => c.Id), MarketSourceStore.LiveEntityIdBase, ct),
                    Handle = handle,
                    DisplayName = account.DisplayName is { Length: > 0 } name ? name[..Math.Min(name.Length, 128)] : handle,
                    Platform = platform,
                    TopicId = topic.Id,
                    IsDemo = false,
                    CreatedAt = now,
                };
                db.Creators.Add(creator);
                existing = new MarketContributionRow { PlatformAccountId = account.Id, UserId = userId, Platform = platform, CreatorId = creator.Id, OptedInAt = now };
                db.MarketContributions.Add(existing);
                await db.SaveChangesAsync(ct);
            }

            var contribution = ToContribution(existing);
            var latest = await db.AccountSnapshots.AsNoTracking().Where(s => s.PlatformAccountId == account.Id).OrderByDescending(s => s.At).FirstOrDefaultAsync(ct);
            return (contribution, creator, topic, topicCreated,
                latest is null ? null : new ContributedReading(contribution, latest.At, latest.Followers, latest.Views, latest.Likes, latest.Comments, latest.Shares));
        }, cancellationToken);

    public Task<int?> OptOutAsync(string userId, Platform platform, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            var row = await db.MarketContributions.FirstOrDefaultAsync(c => c.UserId == userId && c.Platform == platform, ct);
            if (row is null)
            {
                return (int?)null;
            }

            // Removed from the market, history included: the readings were the owner's to give and to take back.
            await db.Snapshots.Where(s => s.Kind == EntityKind.Creator && s.EntityId == row.CreatorId).ExecuteDeleteAsync(ct);
            db.MarketContributions.Remove(row);
            await db.SaveChangesAsync(ct);
            await db.Creators.Where(c => c.Id == row.CreatorId).ExecuteDeleteAsync(ct);
            return row.CreatorId;
        }, cancellationToken);

    public async Task<IReadOnlyList<ContributedReading>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await (
            from c in db.MarketContributions.AsNoTracking()
            let latest = db.AccountSnapshots.Where(s => s.PlatformAccountId == c.PlatformAccountId).OrderByDescending(s => s.At).FirstOrDefault()
            where latest != null && (c.PublishedSyncAt == null || latest.At > c.PublishedSyncAt)
            select new { c, latest.At, latest.Followers, latest.Views, latest.Likes, latest.Comments, latest.Shares })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ContributedReading(ToContribution(r.c), r.At, r.Followers, r.Views, r.Likes, r.Comments, r.Shares)).ToList();
    }

    public async Task MarkPublishedAsync(long platformAccountId, DateTime syncedAt, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.MarketContributions.Where(c => c.PlatformAccountId == platformAccountId)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.PublishedSyncAt, syncedAt), cancellationToken);
    }

    private static async Task<string> FreeHandleAsync(TerminalDbContext db, Platform platform, string wanted, CancellationToken ct)
    {
        var handle = wanted.Length == 0 ? "creator" : wanted[..Math.Min(wanted.Length, 56)];
        for (var i = 2; await db.Creators.AnyAsync(c => c.Platform == platform && c.Handle == handle, ct); i++)
        {
            handle = $"{wanted[..Math.Min(wanted.Length, 56)]}{i}";
        }

        return handle;
    }

    private static Contribution ToContribution(MarketContributionRow r) => new(r.PlatformAccountId, r.UserId, r.Platform, r.CreatorId, r.OptedInAt, r.PublishedSyncAt);
}
