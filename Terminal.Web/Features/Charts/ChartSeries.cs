using Terminal.Core.Market;

namespace Terminal.Web.Features.Charts;

/// <summary>One named time series for <see cref="TerminalChart"/>.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<SeriesPoint> Points)
{
    /// <summary>The wire shape the JS module takes: <c>{name, points: [[epochMs, v], …]}</c>.</summary>
    internal ChartSeriesDto ToDto() => new(Name, Points.Select(ToPair).ToArray());

    internal static double[] ToPair(SeriesPoint p) =>
        [new DateTimeOffset(DateTime.SpecifyKind(p.T, DateTimeKind.Utc)).ToUnixTimeMilliseconds(), p.V];
}

internal sealed record ChartSeriesDto(string Name, double[][] Points, string[]? Labels = null);

/// <summary>One point of a scatter or bubble chart: <see cref="X"/>, <see cref="Y"/>, bubble size <see cref="Z"/> (bubble charts) and the label its tooltip shows.</summary>
public sealed record ScatterPoint(double X, double Y, string Label, double Z = 1);

/// <summary>One named series of points for <see cref="TerminalChart"/> in scatter or bubble mode.</summary>
public sealed record ScatterSeries(string Name, IReadOnlyList<ScatterPoint> Points)
{
    /// <summary>The wire shape: <c>{name, points: [[x, y] or [x, y, z], …], labels: […]}</c> (ApexCharts' scatter/bubble data).</summary>
    internal ChartSeriesDto ToDto(bool bubble) => new(
        Name,
        Points.Select(p => bubble ? new[] { p.X, p.Y, p.Z } : new[] { p.X, p.Y }).ToArray(),
        Points.Select(p => p.Label).ToArray());
}

/// <summary>Numeric axes of a scatter or bubble chart: titles, and a log y scale for data spanning decades (ApexCharts has no log x).</summary>
public sealed record ScatterAxes(string XTitle, string YTitle, bool YLog = false);

/// <summary>What the chart was created with. Time-series charts carry <see cref="Series"/> as [epochMs, v] pairs; scatter and bubble charts carry [x, y(, z)] with labels and <see cref="Axes"/>.</summary>
internal sealed record ChartSpec(string Type, int Height, IReadOnlyList<ChartSeriesDto> Series, IReadOnlyList<string> Colors, string NoData, ScatterAxes? Axes = null);

/// <summary>A zoom (or pan) the user made, in UTC; null bounds mean "reset".</summary>
public sealed record ChartZoom(DateTime? From, DateTime? To);
