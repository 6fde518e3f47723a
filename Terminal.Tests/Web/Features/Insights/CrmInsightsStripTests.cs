using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Insights;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Api;
using Terminal.Web.Features.Insights;

namespace Terminal.Tests.Web.Features.Insights;

/// <summary>CRM's insights strip over a creator's own posts: best hours with intervals, or "not enough posts"; top outliers with their links.</summary>
public sealed class CrmInsightsStripTests : BunitTestBase
{
    private const string User = "u-1";
    private readonly OwnPosts _data = new();

    public CrmInsightsStripTests()
    {
        Services.AddMemoryCache();
        Services.AddSingleton<TimeProvider>(TimeProvider.System);
        Services.AddSingleton<IInsightData>(_data);
        Services.AddSingleton<ITrendReader, FakeTrendReader>();
        Services.AddSingleton<InsightsService>();
    }

    private sealed class OwnPosts : IInsightData
    {
        public List<InsightPost> Posts { get; } = [];

        public Task<IReadOnlyList<InsightPost>> MarketClipsAsync(Platform? platform, DateTime from, DateTime to, TimeSpan age, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<InsightPost>>([]);

        public Task<IReadOnlyList<InsightPost>> OwnPostsAsync(string userId, Platform? platform, DateTime from, DateTime to, TimeSpan age, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<InsightPost>>(userId == User ? Posts.Where(p => p.PublishedAt >= from && p.PublishedAt <= to).ToList() : []);

        public Task<IReadOnlyList<TopicSupply>> TopicSuppliesAsync(Platform? platform, DateTime now, TimeSpan window, IReadOnlyDictionary<int, double> demand, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<TopicSupply>>([]);
    }

    /// <summary>A post published <paramref name="daysAgo"/> days ago at Monday <paramref name="hour"/> h (UTC), with views at 24 h.</summary>
    private void Add(int id, int daysAgo, int hour, double views)
    {
        var today = DateTime.UtcNow.Date;
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7) - (7 * (daysAgo / 7 + 1))).AddHours(hour);
        var features = PostFeatures.Compute("post " + id, Platform.YouTube, monday, 30, PostFormat.ShortForm);
        _data.Posts.Add(new InsightPost(InsightRows.PostEntity(id), "post " + id, 9, Platform.YouTube, monday.AddMinutes(id % 50), features, views, "https://youtu.be/v" + id));
    }

    [Fact]
    public void FewPosts_SayNotEnoughPosts_AndShowNoHour()
    {
        Add(1, 1, 18, 100);
        Add(2, 8, 10, 120);

        var strip = Render<CrmInsightsStrip>(p => p.Add(c => c.UserId, User));

        strip.WaitForAssertion(() => strip.Find("[data-best-note]").TextContent.Should().Contain("not enough posts").And.Contain("2 posts"));
        strip.FindAll("[data-best-hour]").Should().BeEmpty();
        strip.Find("[data-outliers-note]").TextContent.Should().Contain("Not enough posts");
    }

    [Fact]
    public void ManyPosts_ShowTheHourAheadWithItsInterval_AndTheTopOutlierLinkingToThePost()
    {
        // Mondays over ~10 weeks: 20 posts at 18 h with ~1,000 views, 20 at 10 h with ~100; one 10 h post (newest) with 50,000.
        for (var i = 0; i < 20; i++)
        {
            Add(100 + i, i * 3, 18, 1_000 + i);
            Add(200 + i, (i * 3) + 1, 10, 100 + i);
        }

        Add(999, 0, 10, 50_000);

        var strip = Render<CrmInsightsStrip>(p => p.Add(c => c.UserId, User));

        strip.WaitForAssertion(() => strip.FindAll("[data-best-hour]").Should().NotBeEmpty());
        var best = strip.FindAll("[data-best-hour]");
        best[0].GetAttribute("data-best-hour").Should().Be("18");
        best[0].TextContent.Should().StartWith("Mon 18 h UTC").And.MatchRegex(@"\d+\.\d\d× \[\d+\.\d\d×, \d+\.\d\d×\]");
        strip.FindAll("[data-best-hour='10']").Should().BeEmpty("the 10 h posts do worse than the others");
        var top = strip.FindAll("[data-testid=top-outliers] [data-outlier]");
        top.Should().HaveCountLessThanOrEqualTo(CrmInsightsStrip.MaxOutliers);
        top[0].GetAttribute("data-outlier").Should().Be("post:999");
        top[0].QuerySelector("a")!.GetAttribute("href").Should().Be("https://youtu.be/v999");
    }
}
