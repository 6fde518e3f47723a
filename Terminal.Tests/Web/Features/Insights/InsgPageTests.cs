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
            readings.TryGetValue(c.Id, out var r) ? InsightMath.ViewsAtAge(r, c.PublishedAt, InsightMath.DefaultAge) : null, InsightRows.ClipHref(c))).ToList();
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
        // Offline recommendations never store a rejected answer: a database here would go unused, so any use fails loudly.
        Services.AddSingleton<IRejectedAnswerStore>(NoRejectedAnswers.Instance);
        Services.AddSingleton<ILogger<RecommendationAudit>>(NullLogger<RecommendationAudit>.Instance);
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
        page.FindAll("[data-panel=outliers] tr[data-outlier] a").Should().NotBeEmpty()
            .And.OnlyContain(a => a.GetAttribute("href")!.StartsWith("/clip/") && a.GetAttribute("href")!.Contains("?in="), "demo clips are cut from known VODs: they open at their range in CLIP");
        page.FindAll("[data-panel=opportunities] tr[data-topic]").Should().NotBeEmpty();
        page.FindAll("[data-panel=recommendations] [data-recommendation]").Should().NotBeEmpty();
        page.Find("[data-help-link]").GetAttribute("href").Should().Be("/help");
    }

    [Fact]
    public void Insg_PrintsWordsAndFormattedNumbers_NotRawKeys()
    {
        var page = Render<InsgPage>();

        page.WaitForAssertion(() => page.FindAll("[data-panel=findings] tr[data-finding]").Should().NotBeEmpty(), TimeSpan.FromSeconds(30));
        var row = page.Find("[data-finding='duration=20-40s']");
        var label = row.QuerySelector("[data-label]")!;
        label.TextContent.Should().Be("Duration 20–40 s");
        label.GetAttribute("title").Should().Be(InsightLabels.Definition("duration"));
        page.Find("[data-finding='daypart=evening'] [data-label]").TextContent.Should().Be("Posted in the evening (18–24 h)");
        row.QuerySelector("[data-effect]")!.TextContent.Should().MatchRegex(@"^\d+\.\d\d×$");
        row.QuerySelector("[data-interval]")!.TextContent.Should().MatchRegex(@"^\[\d+\.\d\d×, \d+\.\d\d×\]$");
        row.QuerySelector("[data-q]")!.TextContent.Should().MatchRegex(@"^(\d\.\d{3}|\d(\.\d)?e-\d+|0)$");
        row.QuerySelector("[data-adjusted]")!.TextContent.Should().MatchRegex(@"^\d+\.\d\d×$", "the log-linear model's effect");
        row.QuerySelector("[data-adjusted]")!.GetAttribute("title").Should().MatchRegex(@"^\[\d+\.\d\d×, \d+\.\d\d×\]$");
        page.FindAll("[data-panel=findings] [data-label]").Should().NotContain(l => l.TextContent.Contains('='));
    }

    [Fact]
    public void OpportunityMap_IsABubbleChart_OnePointPerTopic()
    {
        var page = Render<InsgPage>();

        page.WaitForAssertion(() => page.FindAll("[data-panel=opportunities] tr[data-topic]").Should().NotBeEmpty(), TimeSpan.FromSeconds(30));
        page.FindAll("[data-panel=opportunities] [data-chart='opportunity-map']").Should().ContainSingle();
        var rows = page.FindAll("[data-panel=opportunities] tr[data-topic]").Count;
        var map = page.FindComponent<Terminal.Web.Features.Charts.TerminalChart>();
        map.Instance.Type.Should().Be("bubble");
        map.Instance.Points.Single().Points.Should().HaveCount(rows).And.OnlyContain(p => p.Y > 0 && p.Z >= 1 && p.Label.Contains("gap"));
    }
}

/// <summary>The INSG page's offline recommendations store nothing; this throws if they ever tried.</summary>
internal sealed class NoRejectedAnswers : IRejectedAnswerStore
{
    public static readonly NoRejectedAnswers Instance = new();

    public Task AddAsync(RejectedAnswer answer, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("offline recommendations must not reject an answer");

    public Task<IReadOnlyList<RejectedAnswer>> RecentAsync(int max, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("the INSG page does not list rejected answers");
}
