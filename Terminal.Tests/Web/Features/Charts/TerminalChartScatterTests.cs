using Bunit;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Charts;

namespace Terminal.Tests.Web.Features.Charts;

/// <summary>The one chart wrapper in scatter/bubble mode: numeric points with labels and axes, redrawn on a new list.</summary>
public sealed class TerminalChartScatterTests : BunitTestBase
{
    private readonly BunitJSModuleInterop _module;

    public TerminalChartScatterTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule("./js/terminalChart.js");
        _module.Setup<int>("create", _ => true).SetResult(3);
        _module.SetupVoid("update", _ => true).SetVoidResult();
        _module.SetupVoid("dispose", _ => true).SetVoidResult();
    }

    [Fact]
    public void Bubble_CreatesTheChart_WithXyzTriplesLabelsAndAxes()
    {
        IReadOnlyList<ScatterSeries> points = [new("topics", [new ScatterPoint(0.5, 1200, "Speedruns", 80), new ScatterPoint(2, 300, "Chess", 10)])];
        Render<TerminalChart>(p => p.Add(c => c.Type, "bubble").Add(c => c.Points, points).Add(c => c.Axes, new ScatterAxes("supply", "demand", YLog: true)));

        var spec = _module.VerifyInvoke("create").Arguments[2].Should().BeOfType<ChartSpec>().Subject;
        spec.Type.Should().Be("bubble");
        spec.Axes.Should().Be(new ScatterAxes("supply", "demand", YLog: true));
        var series = spec.Series.Single();
        series.Points.Should().BeEquivalentTo(new[] { new double[] { 0.5, 1200, 80 }, new double[] { 2, 300, 10 } }, o => o.WithStrictOrdering());
        series.Labels.Should().Equal("Speedruns", "Chess");
    }

    [Fact]
    public void Scatter_SendsPairs_AndANewListUpdatesTheSameChart()
    {
        var chart = Render<TerminalChart>(p => p.Add(c => c.Type, "scatter").Add(c => c.Points, []));
        _module.VerifyInvoke("create").Arguments[2].Should().BeOfType<ChartSpec>().Which.Series.Should().BeEmpty();

        IReadOnlyList<ScatterSeries> next = [new("topics", [new ScatterPoint(1, 2, "a", 99)])];
        chart.Render(p => p.Add(c => c.Points, next));

        var update = _module.VerifyInvoke("update");
        update.Arguments[0].Should().Be(3);
        var dto = update.Arguments[1].Should().BeOfType<ChartSeriesDto[]>().Which.Single();
        dto.Points.Should().BeEquivalentTo(new[] { new double[] { 1, 2 } });
        dto.Labels.Should().Equal("a");
    }
}
