using Bunit;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Charts;
using Terminal.Web.Features.LinkedAccounts;

namespace Terminal.Tests.Web.Features.LinkedAccounts;

/// <summary>The CRM growth chart on the ApexCharts wrapper (JS module faked strictly, like the chart tests).</summary>
public sealed class CrmGrowthChartTests : BunitTestBase
{
    private static readonly DateTime T0 = new(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);
    private readonly BunitJSModuleInterop _module;

    public CrmGrowthChartTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule("./js/terminalChart.js");
        _module.Setup<int>("create", _ => true).SetResult(3);
        _module.SetupVoid("update", _ => true).SetVoidResult();
        _module.SetupVoid("dispose", _ => true).SetVoidResult();
    }

    private static IReadOnlyList<CrmSeries> Data() =>
    [
        new(Platform.TikTok, "followers", [new CrmPoint(T0, 100), new CrmPoint(T0.AddHours(2), 130)]),
        new(Platform.YouTube, "followers", [new CrmPoint(T0.AddHours(1), 50)]),
        new(Platform.TikTok, "views", [new CrmPoint(T0, 9999)]),
    ];

    [Fact]
    public void Build_AlignsPlatformsOnSyncTimes_CarryingValuesForwardFromTheFirstSync()
    {
        var (series, times) = CrmGrowthChart.Build(Data(), "followers");

        times.Should().Be(3);
        series.Select(s => s.Name).Should().Equal("tiktok", "youtube");
        series[0].Points.Should().Equal(new SeriesPoint(T0, 100), new SeriesPoint(T0.AddHours(1), 100), new SeriesPoint(T0.AddHours(2), 130));
        // YouTube's first sync is at +1h: nothing before it (no invented zero), carried forward after it.
        series[1].Points.Should().Equal(new SeriesPoint(T0.AddHours(1), 50), new SeriesPoint(T0.AddHours(2), 50));
    }

    [Fact]
    public void TwoOrMoreSyncs_CreateAnInteractiveLineChart_WithThePlatformsSeries()
    {
        var chart = Render<CrmGrowthChart>(p => p.Add(c => c.Series, Data()).Add(c => c.Metric, "followers"));

        var spec = _module.VerifyInvoke("create").Arguments[2].Should().BeOfType<ChartSpec>().Subject;
        spec.Type.Should().Be("line");
        spec.Series.Select(s => s.Name).Should().Equal("tiktok", "youtube");
        spec.Series[0].Points.Select(p => p[1]).Should().Equal(100, 100, 130);
        spec.Series[0].Points[0][0].Should().Be(new DateTimeOffset(T0).ToUnixTimeMilliseconds());
        chart.Find("[data-chart=crm-followers] [data-chart=crm-followers-chart]").Should().NotBeNull();
    }

    [Fact]
    public void FewerThanTwoSyncs_ShowsTheHint_AndNoChart()
    {
        var chart = Render<CrmGrowthChart>(p => p.Add(c => c.Series, Data()).Add(c => c.Metric, "views"));

        chart.Find("[data-testid=crm-growth-empty]").TextContent.Should().Contain("two syncs");
        _module.Invocations.Should().BeEmpty();
    }

    [Fact]
    public void SameDataOnParentRerender_DoesNotRedraw_NewDataDoes()
    {
        var data = Data();
        var chart = Render<CrmGrowthChart>(p => p.Add(c => c.Series, data).Add(c => c.Metric, "followers"));

        chart.Render(p => p.Add(c => c.Series, data).Add(c => c.Metric, "followers"));
        _module.Invocations.Where(i => i.Identifier == "update").Should().BeEmpty();

        IReadOnlyList<CrmSeries> next = [.. data, new CrmSeries(Platform.Instagram, "followers", [new CrmPoint(T0, 7)])];
        chart.Render(p => p.Add(c => c.Series, next).Add(c => c.Metric, "followers"));
        var update = _module.VerifyInvoke("update");
        update.Arguments[0].Should().Be(3);
        update.Arguments[1].Should().BeOfType<ChartSeriesDto[]>().Which.Select(s => s.Name).Should().Equal("tiktok", "youtube", "instagram");
    }
}
