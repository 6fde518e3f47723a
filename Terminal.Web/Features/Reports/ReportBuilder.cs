using System.Globalization;
using Terminal.Core;
using Terminal.Core.Common;
using Terminal.Core.Insights;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Core.Reports;
using Terminal.Core.Trends;
using Terminal.Web.Features.Insights;

namespace Terminal.Web.Features.Reports;

/// <summary>
/// Gathers a report's numbers from the same services the API answers from (SPEC §11): a CRM report from
/// <see cref="ICrmQueries"/> (<c>/api/crm/performance</c>), a market report from the trend rankings
/// (<c>/api/analytics/trends</c>), a creator report from the CRTR queries (<c>/api/creators/{id}</c>),
/// and insights from <see cref="InsightsService"/> (<c>/api/insights/*</c>).
/// </summary>
public sealed class ReportBuilder(ICrmQueries crm, ITrendReader trends, IMarketQueries market, InsightsService insights, IServiceScopeFactory scopes, TimeProvider clock)
{
    public const int TopRows = 10;

    /// <summary>Builds the document; <paramref name="progress"/> is called with 0–100 as parts complete.</summary>
    public async Task<ReportDocument> BuildAsync(ReportRecord report, Func<int, Task> progress, CancellationToken cancellationToken)
    {
        if (!ReportPeriods.TryParse(report.Kind, report.Period, out var period, out var length))
        {
            throw TerminalException.BadRequest("invalid_period", $"Unknown period '{report.Period}'.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var who = await EmailOfAsync(report.UserId) ?? report.UserId;
        var document = report.Kind switch
        {
            ReportKind.Crm => await CrmAsync(report, who, period, length, now, progress, cancellationToken),
            ReportKind.Market => await MarketAsync(report, who, period, length, now, progress, cancellationToken),
            _ => await CreatorAsync(report, who, period, length, now, progress, cancellationToken),
        };
        await progress(60);
        return document;
    }

    private async Task<ReportDocument> CrmAsync(ReportRecord report, string who, string period, TimeSpan length, DateTime now, Func<int, Task> progress, CancellationToken cancellationToken)
    {
        var performance = await crm.GetPerformanceAsync(report.UserId, length, cancellationToken);
        await progress(20);
        var k = performance.Kpis;
        var d = performance.Deltas;
        var kpis = new List<ReportKpi>
        {
            new("followers", "Followers", k.Followers, d.Followers, KpiFormat.Count),
            new("views", "Views", k.Views, d.Views, KpiFormat.Count),
            new("likes", "Likes", k.Likes, d.Likes, KpiFormat.Count),
            new("comments", "Comments", k.Comments, d.Comments, KpiFormat.Count),
            new("shares", "Shares", k.Shares, d.Shares, KpiFormat.Count),
            new("engagementRate", "Engagement rate", k.EngagementRate, d.EngagementRate, KpiFormat.Rate),
        };
        var series = performance.Series.Where(s => s.Metric == "views")
            .Select(s => new ReportSeries(s.Platform.ToWire(), s.Points.Select(p => new ReportPoint(p.T, p.V)).ToList()))
            .ToList();
        var bars = performance.Posts.GroupBy(p => p.Platform).OrderBy(g => g.Key)
            .Select(g => new ReportBar(g.Key.ToWire(), g.Sum(p => p.Views ?? 0)))
            .ToList();
        var top = performance.Posts.OrderByDescending(p => p.Views ?? -1).ThenByDescending(p => p.PublishedAt).Take(TopRows)
            .Select(p => (IReadOnlyList<string>)[p.Title, p.Platform.ToWire(), ReportFormat.Date(p.PublishedAt), ReportFormat.Count(p.Views),
                ReportFormat.Count(p.Likes), ReportFormat.Count(p.Comments), ReportFormat.Count(p.Shares), ReportFormat.Value(p.EngagementRate, KpiFormat.Rate)])
            .ToList();
        var tables = new List<ReportTable>
        {
            new("Top posts by views", ["Title", "Platform", "Published", "Views", "Likes", "Comments", "Shares", "Eng. rate"], top),
        };

        var insightPeriod = length <= TimeSpan.FromDays(7) ? Period.Week : Period.Month;
        var request = new InsightRequest(InsightScope.Mine, null, insightPeriod, report.UserId);
        var list = new List<ReportInsight>();
        list.AddRange(await OutlierInsightsAsync(request, null, cancellationToken));
        await progress(35);
        list.AddRange(await PatternInsightsAsync(request, cancellationToken));
        await progress(45);
        var best = await insights.BestTimesAsync(report.UserId, null, cancellationToken);
        list.AddRange(best.Hours.Where(h => h.Effect is not null).OrderByDescending(h => h.Effect).Take(5)
            .Select(h => new ReportInsight("Best times", $"{HourOfWeekText(h.HourOfWeek)} ({h.N} posts)", h.Effect, h.Low, h.High, h.Note)));
        if (best.Note is not null && !list.Any(i => i.Section == "Best times"))
        {
            list.Add(new ReportInsight("Best times", $"Best times to post: {best.Note} ({best.Posts} posts).", null, null, null, best.Note));
        }

        return new ReportDocument(report.Id, report.Kind, "Creator performance report", who, period, now - length, now, now, false,
            kpis, "Account views over time, per platform", series, "Views of posts published in the period, per platform", bars, tables, list, Definitions);
    }

    private async Task<ReportDocument> MarketAsync(ReportRecord report, string who, string period, TimeSpan length, DateTime now, Func<int, Task> progress, CancellationToken cancellationToken)
    {
        var p = length <= TimeSpan.FromDays(7) ? Period.Week : Period.Month;
        var creators = trends.Query(new TrendQuery(EntityKind.Creator, null, p, 50)).Data;
        var clips = trends.Query(new TrendQuery(EntityKind.Clip, null, p, 50)).Data;
        await progress(20);
        var kpis = new List<ReportKpi>
        {
            new("creatorVelocity", "Top-50 creators, views/h", creators.Sum(c => c.Velocity), Change(creators), KpiFormat.PerHour, true),
            new("clipVelocity", "Top-50 clips, views/h", clips.Sum(c => c.Velocity), Change(clips), KpiFormat.PerHour, true),
            new("trendingClips", "Trending clips in the top 50", clips.Count(c => c.Trending), null, KpiFormat.Count),
            new("clippers", "Clippers on the top-50 creators", creators.Sum(c => c.ClipperCount), null, KpiFormat.Count),
        };
        var series = creators.Take(5).Select(c => new ReportSeries(c.Name, Sparkline(c.Sparkline, now, length))).ToList();
        var bars = creators.Where(c => c.Platform is not null).GroupBy(c => c.Platform!.Value).OrderBy(g => g.Key)
            .Select(g => new ReportBar(g.Key.ToWire(), g.Sum(c => c.Velocity))).ToList();
        var tables = new List<ReportTable>
        {
            new("Top creators by heat", ["#", "Creator", "Platform", "Views/h", "Δ%", "Heat", "Clippers"], creators.Take(TopRows).Select(TrendRow).ToList()),
            new("Top clips by heat", ["#", "Clip", "Platform", "Views/h", "Δ%", "Heat", "Clippers"], clips.Take(TopRows).Select(TrendRow).ToList()),
        };
        var request = new InsightRequest(InsightScope.Market, null, p, null);
        var list = new List<ReportInsight>();
        list.AddRange(await OutlierInsightsAsync(request, null, cancellationToken));
        await progress(35);
        list.AddRange(await PatternInsightsAsync(request, cancellationToken));
        var demo = creators.Any(c => c.IsDemo) || clips.Any(c => c.IsDemo);
        return new ReportDocument(report.Id, report.Kind, "Market report", who, period, now - length, now, now, demo,
            kpis, "Views per hour of the five hottest creators", series, "Views per hour of the top-50 creators, per platform", bars, tables, list, Definitions);
    }

    private async Task<ReportDocument> CreatorAsync(ReportRecord report, string who, string period, TimeSpan length, DateTime now, Func<int, Task> progress, CancellationToken cancellationToken)
    {
        var creator = await market.FindCreatorAsync(report.EntityId ?? "", cancellationToken)
            ?? throw TerminalException.NotFound("creator_not_found", $"No creator '{report.EntityId}'.");
        var p = length <= TimeSpan.FromDays(7) ? Period.Week : Period.Month;
        var k = await market.GetCreatorKpisAsync(creator.Id, p, cancellationToken);
        var views = await market.GetSeriesAsync(EntityKind.Creator, creator.Id, "views", p, cancellationToken);
        var clips = await market.GetTopClipsAsync(creator.Id, p, TopRows, cancellationToken);
        var clippers = await market.GetTopClippersAsync(creator.Id, p, TopRows, cancellationToken);
        await progress(25);
        var kpis = new List<ReportKpi>
        {
            new("followers", "Followers", k?.Followers, null, KpiFormat.Count),
            new("views", "Views", k?.Views, null, KpiFormat.Count),
            new("velocity", "Views/h", k?.Velocity, k?.Change, KpiFormat.PerHour, true),
            new("clipperCount", "Clippers", k?.ClipperCount, null, KpiFormat.Count),
            new("heat", "Heat", k?.Heat, null, KpiFormat.Score),
            new("underClippedScore", "Under-clipped score", k?.UnderClippedScore, null, KpiFormat.Score),
        };
        var series = new List<ReportSeries> { new(creator.Handle, views.Select(v => new ReportPoint(v.T, v.V)).ToList()) };
        var bars = clips.GroupBy(c => c.Platform).OrderBy(g => g.Key).Select(g => new ReportBar(g.Key.ToWire(), g.Sum(c => c.Views))).ToList();
        var tables = new List<ReportTable>
        {
            new("Top clips", ["Clip", "Platform", "Clipper", "Published", "Views", "Views/h"],
                clips.Select(c => (IReadOnlyList<string>)[c.Title, c.Platform.ToWire(), c.ClipperHandle, ReportFormat.Date(c.PublishedAt), ReportFormat.Count(c.Views), ReportFormat.Value(c.Velocity, KpiFormat.PerHour)]).ToList()),
            new("Top clippers", ["Clipper", "Platform", "Clips", "Views"],
                clippers.Select(c => (IReadOnlyList<string>)[c.Handle, c.Platform.ToWire(), c.Clips.ToString(CultureInfo.InvariantCulture), ReportFormat.Count(c.Views)]).ToList()),
        };
        var list = (await OutlierInsightsAsync(new InsightRequest(InsightScope.Market, creator.Platform, p, null), creator.Id, cancellationToken)).ToList();
        return new ReportDocument(report.Id, report.Kind, $"Creator report: {creator.DisplayName}", who, period, now - length, now, now, creator.IsDemo,
            kpis, $"Views of {creator.Handle} over time", series, "Views of the creator's top clips, per platform", bars, tables, list, Definitions);
    }

    private async Task<IEnumerable<ReportInsight>> OutlierInsightsAsync(InsightRequest request, int? creatorId, CancellationToken cancellationToken)
    {
        var outliers = await insights.OutliersAsync(request, cancellationToken);
        return outliers.Where(o => creatorId is null || o.CreatorId == creatorId).Take(5)
            .Select(o => new ReportInsight("Outliers", $"{o.Title} ({o.Platform.ToWire()}): {ReportFormat.Count((long)o.Views)} views vs a baseline of {ReportFormat.Count((long)o.Baseline)}", o.Ratio, o.Low, o.High, null));
    }

    private async Task<IEnumerable<ReportInsight>> PatternInsightsAsync(InsightRequest request, CancellationToken cancellationToken)
    {
        var patterns = await insights.PatternsAsync(request, cancellationToken);
        var judged = patterns.Findings.Where(f => f.Effect is not null)
            .OrderByDescending(f => f.Significant).ThenByDescending(f => Math.Abs(Math.Log(f.Effect!.Value))).Take(6)
            .Select(f => new ReportInsight("Patterns", $"{f.Feature} = {f.Group} ({f.N} posts){(f.Significant ? ", significant" : "")}", f.Effect, f.Low, f.High, f.Note))
            .ToList();
        if (judged.Count == 0)
        {
            judged.Add(new ReportInsight("Patterns", $"Patterns over {patterns.N} posts: not enough data to judge any group.", null, null, null, "not enough data"));
        }

        return judged;
    }

    private async Task<string?> EmailOfAsync(string userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Terminal.Data.Accounts.TerminalUser>>();
        return (await users.FindByIdAsync(userId))?.Email;
    }

    private static double? Change(IReadOnlyList<TrendItem> items)
    {
        double now = 0, before = 0;
        foreach (var item in items.Where(i => i.Change is { } c && c > -1))
        {
            now += item.Velocity;
            before += item.Velocity / (1 + item.Change!.Value);
        }

        return before > 0 ? (now - before) / before : null;
    }

    private static IReadOnlyList<string> TrendRow(TrendItem t) =>
        [t.Rank.ToString(CultureInfo.InvariantCulture), t.Name, t.Platform?.ToWire() ?? "all", ReportFormat.Value(t.Velocity, KpiFormat.PerHour),
            t.Change is { } c ? c.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture) : "—", ReportFormat.Value(t.Heat, KpiFormat.Score), t.ClipperCount.ToString(CultureInfo.InvariantCulture)];

    private static List<ReportPoint> Sparkline(IReadOnlyList<double> values, DateTime now, TimeSpan length)
    {
        var step = length / Math.Max(values.Count, 1);
        return values.Select((v, i) => new ReportPoint(now - length + (step * (i + 1)), v)).ToList();
    }

    private static string HourOfWeekText(int hour) =>
        $"{CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName((DayOfWeek)((hour / 24 + 1) % 7))} {hour % 24:00}:00–{(hour % 24 + 1) % 24:00}:00 UTC";

    /// <summary>The definitions page: SPEC §3 and §10 formulas as the product computes them.</summary>
    public static readonly IReadOnlyList<ReportDefinition> Definitions =
    [
        new("Views, likes, comments, shares", "Sums of what the platforms reported for posts published in the period; a number the platform did not report adds nothing. Δ: the same sum over the previous period of equal length."),
        new("Followers", "The latest follower count each platform reported, summed; Δ: that minus the count at the start of the period."),
        new("Engagement rate", "Post: (likes + comments + shares + saves) / views. Account: view-weighted, Σ engagements / Σ views. Δ: the difference in rate against the previous period."),
        new("Velocity v_w(e)", "(m(e, now) − m(e, now − w)) / hours(w): views gained per hour over the window w, m being the latest snapshot at or before a time."),
        new("Δ% (change)", "(v_w(e, now) − v_w(e, now − w)) / v_w(e, now − w); none when the earlier velocity is 0. For a group: Σ now ÷ Σ before − 1 over the rows that have one."),
        new("Heat (0–100)", "Percentile rank of velocity within the same platform and period × recency exp(−age / w) for clips × topic relevance with a niche filter."),
        new("Trending", "Velocity at or above the 90th percentile of its platform for the period."),
        new("Under-clipped score (0–100)", "Percentile rank of demand per clipper, max(v_w, 0) / (1 + clipper count), among creators of the same platform and period."),
        new("Clip share of voice", "Views of clips by others ÷ (those + views of the creator's own posts) over w."),
        new("Outlier ratio", "Views at the fixed age (24 h) ÷ the baseline of comparable posts of the last 30 days; the interval is its 95 % interval."),
        new("Pattern effect", "Median views at the fixed age in the group ÷ median of the rest, with a bootstrap 95 % interval; significant when Benjamini–Hochberg q < 0.05 and the interval excludes 1."),
        new("Best times", "Per hour of the week (UTC): the same ratio of medians for posts published in that hour; hours with fewer than 5 posts say \"not enough posts\"."),
    ];
}
