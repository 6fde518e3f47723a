using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Terminal.Core.Insights;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Jobs.DemoMarket;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Api;
using Terminal.Web.Features.Insights;

namespace Terminal.Tests.Web.Features.Insights;

/// <summary>Stored data as the default DEMO market would have it: clips with views at 24 h interpolated from the backfill's readings.</summary>
public sealed class DemoInsightData : IInsightData
{
    private static readonly Lazy<IReadOnlyList<InsightPost>> Posts = new(() =>
    {
        var model = new DemoMarketModel(new DemoFeedOptions(), new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc));
        var readings = model.Backfill().Where(s => s.Kind == EntityKind.Clip).GroupBy(s => s.EntityId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(DateTime, long)>)g.OrderBy(s => s.At).Select(s => (s.At, s.Views)).ToArray());
        return model.HistoricClips.Select(c => new InsightPost(InsightRows.ClipEntity(c.Id), c.Title, c.CreatorId, c.Platform, c.PublishedAt, InsightRows.ClipFeatures(c),
            readings.TryGetValue(c.Id, out var r) ? InsightMath.ViewsAtAge(r, c.PublishedAt, InsightMath.DefaultAge) : null, null)).ToList();
    });

    public Task<IReadOnlyList<InsightPost>> MarketClipsAsync(Platform? platform, DateTime from, DateTime to, TimeSpan age, CancellationToken cancellationToken = default) =>
        Task.FromResult(Posts.Value);

    public Task<IReadOnlyList<InsightPost>> OwnPostsAsync(string userId, Platform? platform, DateTime from, DateTime to, TimeSpan age, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<InsightPost>>([]);

    public Task<IReadOnlyList<TopicSupply>> TopicSuppliesAsync(Platform? platform, DateTime now, TimeSpan window, IReadOnlyDictionary<int, double> demand, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TopicSupply>>(demand.Select(d => new TopicSupply(d.Key, "topic " + d.Key, d.Value, 3, d.Key)).ToList());
}

public sealed class InsgPageTests : BunitTestBase
{
    public InsgPageTests()
    {
        Services.AddMemoryCache();
        Services.AddSingleton<TimeProvider>(TimeProvider.System);
        Services.AddSingleton<IInsightData, DemoInsightData>();
        Services.AddSingleton<ITrendReader, FakeTrendReader>();
        Services.AddSingleton<InsightsService>();
        Services.AddSingleton<RecommendationAudit>();
        Services.AddSingleton<ILogger<RecommendationService>>(NullLogger<RecommendationService>.Instance);
        Services.AddOptions<InsightAiOptions>();
        Services.AddSingleton<RecommendationService>();
    }

    [Fact]
    public void Insg_RendersTheDemoMarketsFindings_WithThePlantedEffectsSignificant_AndItsPanels()
    {
        var page = Render<InsgPage>();

        page.WaitForAssertion(() => page.FindAll("[data-panel=findings] tr[data-finding]").Should().NotBeEmpty(), TimeSpan.FromSeconds(30));
        page.Find("[data-finding='duration=20-40s']").GetAttribute("data-significant").Should().Be("true");
        page.Find("[data-finding='daypart=evening']").GetAttribute("data-significant").Should().Be("true");
        page.FindAll("[data-finding^='weekday=']").Should().HaveCount(7).And.OnlyContain(r => r.GetAttribute("data-significant") == "false");
        page.FindAll("[data-finding='duration=20-40s'] .interval-bar").Should().ContainSingle();
        page.FindAll("[data-panel=outliers] tr[data-outlier] a").Should().NotBeEmpty().And.OnlyContain(a => a.GetAttribute("href")!.StartsWith("/crtr/"));
        page.FindAll("[data-panel=opportunities] tr[data-topic]").Should().NotBeEmpty();
        page.FindAll("[data-panel=recommendations] [data-recommendation]").Should().NotBeEmpty();
        page.Find("[data-help-link]").GetAttribute("href").Should().Be("/help");
    }
}
