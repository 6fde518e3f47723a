using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Data.LinkedAccounts;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Data.LinkedAccounts;

/// <summary>CRM KPIs and deltas from stored snapshots and posts, against hand-computed numbers.</summary>
public sealed class CrmQueriesTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task Performance_SumsPostsInPeriod_DeltasAgainstPreviousPeriod_FollowersFromSnapshots()
    {
        var user = await factory.CreateUserClientAsync();
        var other = await factory.CreateUserClientAsync();
        var now = DateTime.UtcNow;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            var account = new PlatformAccount { UserId = user.UserId, Platform = Platform.TikTok, Status = LinkStatus.Connected, LinkedAt = now.AddDays(-60) };
            var foreign = new PlatformAccount { UserId = other.UserId, Platform = Platform.TikTok, Status = LinkStatus.Connected, LinkedAt = now.AddDays(-60) };
            db.PlatformAccounts.AddRange(account, foreign);
            await db.SaveChangesAsync();
            db.AccountSnapshots.AddRange(
                new AccountSnapshot { PlatformAccountId = account.Id, UserId = user.UserId, Platform = Platform.TikTok, At = now.AddDays(-9), Followers = 100 },
                new AccountSnapshot { PlatformAccountId = account.Id, UserId = user.UserId, Platform = Platform.TikTok, At = now.AddDays(-3), Followers = 150, Views = 5000 },
                new AccountSnapshot { PlatformAccountId = account.Id, UserId = user.UserId, Platform = Platform.TikTok, At = now.AddHours(-1), Followers = 180, Views = 6000 },
                new AccountSnapshot { PlatformAccountId = foreign.Id, UserId = other.UserId, Platform = Platform.TikTok, At = now.AddHours(-1), Followers = 99999 });
            db.PlatformPosts.AddRange(
                Post(account, "cur1", now.AddDays(-1), views: 1000, likes: 100, comments: 10, shares: 5, saves: 5),
                Post(account, "cur2", now.AddDays(-2), views: 3000, likes: 200, comments: 20, shares: null, saves: null),
                Post(account, "cur3", now.AddDays(-3), views: null, likes: 7, comments: 1, shares: null, saves: null),
                Post(account, "prev", now.AddDays(-10), views: 2000, likes: 50, comments: 5, shares: 5, saves: 0),
                Post(foreign, "theirs", now.AddDays(-1), views: 777777, likes: 1, comments: 1, shares: 1, saves: 1));
            await db.SaveChangesAsync();
        }

        var crm = await factory.Services.GetRequiredService<ICrmQueries>().GetPerformanceAsync(user.UserId, TimeSpan.FromDays(7));

        crm.Kpis.Should().Be(new CrmKpis(180, 4000, 307, 31, 5, (100 + 10 + 5 + 5 + 200 + 20) / 4000.0));
        // followers: 180 now − 100 at the period start; counts: current − previous (2000 views, 50 likes, 5 comments, 5 shares).
        crm.Deltas.Followers.Should().Be(80);
        crm.Deltas.Views.Should().Be(2000);
        crm.Deltas.Likes.Should().Be(257);
        crm.Deltas.Comments.Should().Be(26);
        crm.Deltas.Shares.Should().Be(0);
        crm.Deltas.EngagementRate.Should().BeApproximately(340 / 4000.0 - 60 / 2000.0, 1e-12);
        crm.Posts.Select(p => p.Title).Should().Equal("cur1", "cur2", "cur3");
        crm.Posts[2].EngagementRate.Should().BeNull();
        crm.Series.Single(s => s.Metric == "followers").Points.Select(p => p.V).Should().Equal(150, 180);
    }

    private static PlatformPost Post(PlatformAccount account, string title, DateTime publishedAt, long? views, long? likes, long? comments, long? shares, long? saves) => new()
    {
        PlatformAccountId = account.Id,
        UserId = account.UserId,
        Platform = account.Platform,
        ExternalId = title,
        Title = title,
        PublishedAt = publishedAt,
        Views = views,
        Likes = likes,
        Comments = comments,
        Shares = shares,
        Saves = saves,
        FetchedAt = DateTime.UtcNow,
    };
}
