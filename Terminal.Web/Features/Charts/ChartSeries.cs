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

/// <summary>What the chart was created with. Time-series charts carry <see cref="Series"/> as [epochMs, v] pairs; scatter and bubble charts carry [x, y(, z)] with labels and <see cref="Axes"/>. <see cref="Zoom"/> is the x range to open on ([fromMs, toMs]) or null for all of it.</summary>
internal sealed record ChartSpec(string Type, int Height, IReadOnlyList<ChartSeriesDto> Series, IReadOnlyList<string> Colors, string NoData, ScatterAxes? Axes = null, double[]? Zoom = null);

/// <summary>A zoom (or pan) the user made, in UTC; null bounds mean "reset".</summary>
public sealed record ChartZoom(DateTime? From, DateTime? To)
{
    /// <summary>A range with both bounds, from before to (what a chart can open on).</summary>
    public bool IsRange => From is { } from && To is { } to && to > from;

    /// <summary>The wire shape for the chart module: [fromMs, toMs], or null when <see cref="IsRange"/> is false.</summary>
    internal double[]? ToEpochPair() => IsRange
        ? [new DateTimeOffset(DateTime.SpecifyKind(From!.Value, DateTimeKind.Utc)).ToUnixTimeMilliseconds(), new DateTimeOffset(DateTime.SpecifyKind(To!.Value, DateTimeKind.Utc)).ToUnixTimeMilliseconds()]
        : null;

    private const string QueryFormat = "yyyyMMdd'T'HHmm'Z'";

    /// <summary>The query-string form, e.g. <c>20261128T1000Z-20261128T1400Z</c> (UTC, to the minute; no characters that need escaping).</summary>
    public string? ToQuery() => IsRange
        ? $"{From!.Value.ToString(QueryFormat, System.Globalization.CultureInfo.InvariantCulture)}-{To!.Value.ToString(QueryFormat, System.Globalization.CultureInfo.InvariantCulture)}"
        : null;

    /// <summary>Reads <see cref="ToQuery"/>'s form; anything else (or an empty range) is null.</summary>
    public static ChartZoom? ParseQuery(string? text)
    {
        if (text?.Split('-') is not [var a, var b])
        {
            return null;
        }

        const System.Globalization.DateTimeStyles utc = System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal;
        return DateTime.TryParseExact(a, QueryFormat, System.Globalization.CultureInfo.InvariantCulture, utc, out var from)
            && DateTime.TryParseExact(b, QueryFormat, System.Globalization.CultureInfo.InvariantCulture, utc, out var to)
            && to > from
                ? new ChartZoom(from, to)
                : null;
    }
}
