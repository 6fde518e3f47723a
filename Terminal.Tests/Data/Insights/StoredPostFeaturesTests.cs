using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Insights;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Data.Insights;
using Terminal.Data.LinkedAccounts;
using Terminal.Tests.Web.Features.Market;

namespace Terminal.Tests.Data.Insights;

/// <summary>
/// Post features are computed once, when a clip or post is written, stored with it, and read back by
/// the insights (SPEC §10, issue #13); rows written before the column existed are filled by the backfill.
/// </summary>
public sealed class StoredPostFeaturesTests(DemoMarketFactory factory) : IClassFixture<DemoMarketFactory>
{
    private static readonly DateTime From = DateTime.UnixEpoch;
    private static readonly DateTime To = new(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private IDbContextFactory<TerminalDbContext> Db => factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>();

    [Fact]
    public async Task DemoMarketClips_AsWritten_StoreFeaturesEqualToTheComputation()
    {
        await factory.WaitForMarketAsync();
        await using var db = await Db.CreateDbContextAsync();
        var stored = await db.Clips.AsNoTracking().Select(c => new { Clip = c, Features = EF.Property<string?>(c, StoredPostFeatures.Column) }).ToListAsync();

        stored.Should().NotBeEmpty();
        stored.Should().OnlyContain(x => x.Features != null && PostFeatures.Decode(x.Features) == InsightRows.ClipFeatures(x.Clip));
    }

    [Fact]
    public async Task APost_StoresItsFeaturesWhenAdded_AndAgainWhenItChanges()
    {
        var (db, post) = await AddPostAsync("short one", durationSeconds: 30);
        await using (db)
        {
            (await StoredAsync(post.Id)).Should().Be(StoredPostFeatures.Of(post)).And.Match<PostFeatures>(f => f.Duration == "20-40s" && f.TitleHasNumber == "no");

            post.Title = "top 10 moments, 5 minutes";
            post.DurationSeconds = 300;
            await db.SaveChangesAsync();
        }

        var changed = await StoredAsync(post.Id);
        changed!.Duration.Should().Be("3m+");
        changed.TitleHasNumber.Should().Be("yes");
    }

    [Fact]
    public async Task Reads_UseTheStoredFeatures_NotARecomputation()
    {
        await factory.WaitForMarketAsync();
        int clipId;
        await using (var db = await Db.CreateDbContextAsync())
        {
            clipId = await db.Clips.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        }

        // A value no computation gives this clip (its platform is not "vine"): if reads recomputed, they would not return it.
        var planted = new PostFeatures("3m+", 167, "sun", "evening", "60+", "yes", "yes", "yes", "3+", "live", "vine");
        await SetStoredAsync(clipId, planted.Encode());

        var clips = await factory.Services.GetRequiredService<IInsightData>().MarketClipsAsync(null, From, To, TimeSpan.FromHours(24));

        var read = clips.Single(c => c.Entity == InsightRows.ClipEntity(clipId)).Features;
        await using (var db = await Db.CreateDbContextAsync())
        {
            await SetStoredAsync(clipId, InsightRows.ClipFeatures(await db.Clips.AsNoTracking().SingleAsync(c => c.Id == clipId)).Encode());
        }

        read.Should().Be(planted);
    }

    [Fact]
    public async Task Backfill_StoresTheFeaturesOfRowsWithoutThem_OrOfAnOlderVersion()
    {
        await factory.WaitForMarketAsync();
        List<MarketClip> clips;
        await using (var db = await Db.CreateDbContextAsync())
        {
            clips = await db.Clips.AsNoTracking().OrderBy(c => c.Id).Take(2).ToListAsync();
        }

        await SetStoredAsync(clips[0].Id, null);
        await SetStoredAsync(clips[1].Id, "0|" + string.Join('|', InsightRows.ClipFeatures(clips[1]).Encode().Split('|').Skip(1)));
        var backfill = factory.Services.GetRequiredService<IPostFeatureBackfill>();

        var written = 0;
        for (var run = await backfill.RunAsync(1); run > 0; run = await backfill.RunAsync(1))
        {
            written += run;
        }

        written.Should().BeGreaterThanOrEqualTo(2);
        (await StoredClipAsync(clips[0].Id)).Should().Be(InsightRows.ClipFeatures(clips[0]).Encode());
        (await StoredClipAsync(clips[1].Id)).Should().Be(InsightRows.ClipFeatures(clips[1]).Encode());
        (await backfill.RunAsync(100)).Should().Be(0, "every row is current");
    }

    private async Task SetStoredAsync(int clipId, string? value)
    {
        await using var db = await Db.CreateDbContextAsync();
        // ExecuteUpdate goes past SaveChanges, as a row written before the column existed would.
        await db.Clips.Where(c => c.Id == clipId).ExecuteUpdateAsync(s => s.SetProperty(c => EF.Property<string?>(c, StoredPostFeatures.Column), value));
    }

    private async Task<string?> StoredClipAsync(int clipId)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.Clips.Where(c => c.Id == clipId).Select(c => EF.Property<string?>(c, StoredPostFeatures.Column)).SingleAsync();
    }

    private async Task<PostFeatures?> StoredAsync(long postId)
    {
        await using var db = await Db.CreateDbContextAsync();
        return PostFeatures.Decode(await db.PlatformPosts.Where(p => p.Id == postId).Select(p => EF.Property<string?>(p, StoredPostFeatures.Column)).SingleAsync());
    }

    private async Task<(TerminalDbContext Db, PlatformPost Post)> AddPostAsync(string title, double durationSeconds)
    {
        var user = await factory.CreateUserClientAsync();
        var db = await Db.CreateDbContextAsync();
        var account = new PlatformAccount { UserId = user.UserId, Platform = Platform.YouTube, Status = LinkStatus.Connected, LinkedAt = DateTime.UtcNow };
        db.PlatformAccounts.Add(account);
        await db.SaveChangesAsync();
        var post = new PlatformPost
        {
            PlatformAccountId = account.Id, UserId = user.UserId, Platform = Platform.YouTube, ExternalId = Guid.NewGuid().ToString("N"),
            Title = title, PublishedAt = new DateTime(2026, 11, 25, 19, 30, 0, DateTimeKind.Utc), DurationSeconds = durationSeconds, FetchedAt = DateTime.UtcNow,
        };
        db.PlatformPosts.Add(post);
        await db.SaveChangesAsync();
        return (db, post);
    }
}
