using Terminal.Core.Market;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Terminal.Web.Features.Charts;

/// <summary>
/// Typed wrapper around the <c>terminalChart.js</c> module: creates the chart after the first
/// render, pushes new <see cref="Series"/> when the parameter changes, appends points on demand,
/// reports zooms back through <see cref="OnZoom"/> and destroys the chart when removed.
/// With <see cref="Type"/> <c>scatter</c> or <c>bubble</c> it draws <see cref="Points"/> on numeric
/// <see cref="Axes"/> instead (INSG's opportunity map), with the same create/update/dispose life.
/// </summary>
public sealed partial class TerminalChart
{
    internal const string ModulePath = "./js/terminalChart.js";

    private ElementReference _host;
    private IJSObjectReference? _module;
    private DotNetObjectReference<TerminalChart>? _self;
    private int? _handle;
    private object? _rendered;
    private bool _disposed;

    /// <summary>A name for tests and styling (data-chart attribute).</summary>
    [Parameter] public string Name { get; set; } = "chart";

    /// <summary>ApexCharts type: area (default), line or bar over time; scatter or bubble over <see cref="Points"/>.</summary>
    [Parameter] public string Type { get; set; } = "area";

    /// <summary>Height in pixels.</summary>
    [Parameter] public int Height { get; set; } = 220;

    /// <summary>The series to draw; a new list instance redraws.</summary>
    [Parameter] public IReadOnlyList<ChartSeries> Series { get; set; } = [];

    /// <summary>Scatter/bubble mode: the series of points to draw; a new list instance redraws.</summary>
    [Parameter] public IReadOnlyList<ScatterSeries> Points { get; set; } = [];

    /// <summary>Scatter/bubble mode: axis titles and scales.</summary>
    [Parameter] public ScatterAxes? Axes { get; set; }

    /// <summary>Series colours (CSS); defaults to amber, cyan, green, violet.</summary>
    [Parameter] public IReadOnlyList<string> Colors { get; set; } = [];

    /// <summary>Text shown when there are no points.</summary>
    [Parameter] public string NoData { get; set; } = "No data";

    /// <summary>Extra CSS classes.</summary>
    [Parameter] public string? Class { get; set; }

    /// <summary>The x range the chart opens on (a zoom restored from the address); read once, when the chart is created.</summary>
    [Parameter] public ChartZoom? Zoom { get; set; }

    /// <summary>Raised when the user zooms, pans or resets (null bounds).</summary>
    [Parameter] public EventCallback<ChartZoom> OnZoom { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_disposed)
        {
            return;
        }

        if (firstRender)
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
            _self = DotNetObjectReference.Create(this);
            _rendered = Current;
            var spec = new ChartSpec(Type, Height, Dtos(), Colors, NoData, IsScatter ? Axes ?? new ScatterAxes("x", "y") : null, IsScatter ? null : Zoom?.ToEpochPair());
            _handle = await _module.InvokeAsync<int>("create", _host, _self, spec);
            if (_disposed)
            {
                return; // disposed while the chart was being created: DisposeAsync already ran, so drop it here
            }

            if (!ReferenceEquals(_rendered, Current))
            {
                await PushSeriesAsync();
            }

            return;
        }

        if (_handle is not null && !ReferenceEquals(_rendered, Current))
        {
            await PushSeriesAsync();
        }
    }

    /// <summary>Replaces all series now (the parameter path does this on its own).</summary>
    public async Task UpdateSeriesAsync(IReadOnlyList<ChartSeries> series)
    {
        Series = series;
        await PushSeriesAsync();
    }

    /// <summary>Appends points to the series at <paramref name="seriesIndex"/> without redrawing the rest.</summary>
    public async Task AppendPointsAsync(int seriesIndex, IReadOnlyList<SeriesPoint> points)
    {
        if (_disposed || _module is null || _handle is null || points.Count == 0)
        {
            return;
        }

        await CallAsync("append", _handle, seriesIndex, points.Select(ChartSeries.ToPair).ToArray());
    }

    private async Task PushSeriesAsync()
    {
        if (_disposed || _module is null || _handle is null)
        {
            return;
        }

        _rendered = Current;
        await CallAsync("update", _handle, Dtos());
    }

    /// <summary>
    /// Calls the chart module unless the component went away meanwhile: a re-render can be awaiting
    /// the module when the page disposes the chart (a period or filter change replaces it), and that
    /// must not end the user's circuit.
    /// </summary>
    private async Task CallAsync(string identifier, params object?[] args)
    {
        try
        {
            await _module!.InvokeVoidAsync(identifier, args);
        }
        catch (Exception e) when (_disposed && e is ObjectDisposedException or JSDisconnectedException or TaskCanceledException)
        {
            // Disposed while the call was on its way.
        }
    }

    /// <summary>Scatter or bubble mode: numeric x/y instead of time.</summary>
    private bool IsScatter => Type is "scatter" or "bubble";

    /// <summary>The list whose instance change means "redraw".</summary>
    private object Current => IsScatter ? Points : Series;

    private ChartSeriesDto[] Dtos() => IsScatter
        ? Points.Select(p => p.ToDto(Type == "bubble")).ToArray()
        : Series.Select(s => s.ToDto()).ToArray();

    /// <summary>Called by the JS module on zoom/pan/reset (epoch milliseconds).</summary>
    [JSInvokable]
    public Task OnZoomed(double? min, double? max) =>
        OnZoom.InvokeAsync(new ChartZoom(FromEpoch(min), FromEpoch(max)));

    private static DateTime? FromEpoch(double? ms) =>
        ms is { } v && !double.IsNaN(v) ? DateTimeOffset.FromUnixTimeMilliseconds((long)v).UtcDateTime : null;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        try
        {
            if (_module is not null)
            {
                if (_handle is not null)
                {
                    await _module.InvokeVoidAsync("dispose", _handle);
                }

                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; so is the chart.
        }
        catch (TaskCanceledException)
        {
        }

        _self?.Dispose();
    }
}
