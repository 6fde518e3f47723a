using Bunit;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Charts;

namespace Terminal.Tests.Web.Features.Charts;

public sealed class TerminalChartTests : BunitTestBase
{
    private readonly BunitJSModuleInterop _module;

    public TerminalChartTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule("./js/terminalChart.js");
        _module.Setup<int>("create", _ => true).SetResult(7);
        _module.SetupVoid("update", _ => true).SetVoidResult();
        _module.SetupVoid("append", _ => true).SetVoidResult();
        _module.SetupVoid("dispose", _ => true).SetVoidResult();
    }

    private static readonly DateTime T0 = new(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void FirstRender_CreatesTheChart_WithTheSeriesAsEpochPairs()
    {
        IReadOnlyList<ChartSeries> series = [new("views/h", [new SeriesPoint(T0, 5), new SeriesPoint(T0.AddHours(1), 8)])];
        Render<TerminalChart>(p => p.Add(c => c.Series, series).Add(c => c.Height, 180));

        var create = _module.VerifyInvoke("create");
        var spec = create.Arguments[2].Should().BeOfType<ChartSpec>().Subject;
        spec.Height.Should().Be(180);
        spec.Series.Single().Name.Should().Be("views/h");
        spec.Series.Single().Points.Should().BeEquivalentTo(new[] { new double[] { 1795478400000, 5 }, new double[] { 1795482000000, 8 } });
        create.Arguments[1].Should().BeOfType<Microsoft.JSInterop.DotNetObjectReference<TerminalChart>>();
    }

    [Fact]
    public void NewSeries_UpdatesTheSameChart()
    {
        var chart = Render<TerminalChart>(p => p.Add(c => c.Series, []));
        IReadOnlyList<ChartSeries> next = [new("views", [new SeriesPoint(T0, 1)])];

        chart.Render(p => p.Add(c => c.Series, next));

        var update = _module.VerifyInvoke("update");
        update.Arguments[0].Should().Be(7);
        update.Arguments[1].Should().BeOfType<ChartSeriesDto[]>().Which.Single().Name.Should().Be("views");
    }

    [Fact]
    public async Task AppendPoints_AndDispose_CallTheModule()
    {
        var chart = Render<TerminalChart>(p => p.Add(c => c.Series, []));
        await chart.InvokeAsync(() => chart.Instance.AppendPointsAsync(0, [new SeriesPoint(T0, 3)]));
        var append = _module.VerifyInvoke("append");
        append.Arguments[0].Should().Be(7);
        append.Arguments[1].Should().Be(0);

        await chart.Instance.DisposeAsync();
        _module.VerifyInvoke("dispose").Arguments[0].Should().Be(7);
    }

    [Fact]
    public async Task ZoomFromJs_RaisesOnZoom_InUtc()
    {
        ChartZoom? zoom = null;
        var chart = Render<TerminalChart>(p => p.Add(c => c.Series, []).Add(c => c.OnZoom, (ChartZoom z) => zoom = z));
        await chart.InvokeAsync(() => chart.Instance.OnZoomed(1795478400000, 1795482000000));
        zoom.Should().Be(new ChartZoom(T0, T0.AddHours(1)));
    }
}
