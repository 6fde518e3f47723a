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

internal sealed record ChartSeriesDto(string Name, double[][] Points);

/// <summary>What the chart was created with.</summary>
internal sealed record ChartSpec(string Type, int Height, IReadOnlyList<ChartSeriesDto> Series, IReadOnlyList<string> Colors, string NoData);

/// <summary>A zoom (or pan) the user made, in UTC; null bounds mean "reset".</summary>
public sealed record ChartZoom(DateTime? From, DateTime? To);
