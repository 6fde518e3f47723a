using Microsoft.AspNetCore.Components;
using Terminal.Core.Market;
using Terminal.Web.Features.Charts;

namespace Terminal.Web.Features.Creators;

/// <summary>CRTR: one creator's KPIs, charts, VODs, top clips and top clippers for a period.</summary>
public sealed partial class CreatorPage
{
    private IMarketQueries? _queries;
    private CreatorSummary? _creator;
    private CreatorKpis? _kpis;
    private IReadOnlyList<ChartSeries>? _velocity;
    private IReadOnlyList<ChartSeries>? _followers;
    private IReadOnlyList<ChartSeries>? _clippers;
    private IReadOnlyList<VodListItem> _vods = [];
    private Terminal.Core.MarketSources.LiveNow? _live;
    private IReadOnlyList<RankedClip> _clips = [];
    private IReadOnlyList<RankedClipper> _clippers2 = [];
    private IReadOnlyList<CreatorSummary> _matches = [];
    private Period _period = Period.Week;
    private bool _loading = true;
    private bool _interactive;
    private string? _search;
    private string? _loadedHandle;
    private CancellationTokenSource _cts = new();

    /// <summary>Creator handle (or numeric id) from the address or the command bar (CRTR mrbeast).</summary>
    [Parameter] public string? Handle { get; set; }

    /// <summary>The period to open on (TRND passes the one it was on): 1h, 24h, 7d or 30d.</summary>
    [SupplyParameterFromQuery(Name = "period")] public string? PeriodQuery { get; set; }

    protected override void OnInitialized()
    {
        _queries = Services.GetService<IMarketQueries>();
        if (Periods.TryParse(PeriodQuery, out var period))
        {
            _period = period.Value;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_queries is null)
        {
            _loading = false;
            return;
        }

        if (string.IsNullOrWhiteSpace(Handle))
        {
            _loading = false;
            _creator = null;
            _loadedHandle = null;
            _matches = await _queries.SearchCreatorsAsync(_search, 50, _cts.Token);
            return;
        }

        if (string.Equals(_loadedHandle, Handle, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        _loadedHandle = Handle;
        _loading = true;
        _creator = await _queries.FindCreatorAsync(Handle.TrimStart('@'), _cts.Token);
        if (_creator is null)
        {
            _matches = await _queries.SearchCreatorsAsync(Handle.TrimStart('@'), 10, _cts.Token);
            _loading = false;
            return;
        }

        // Real monitored channels: a LIVE marker with concurrent viewers while the creator streams.
        if (!_creator.IsDemo && Services.GetService<Terminal.Core.MarketSources.IMarketSourceStore>() is { } sources)
        {
            _live = (await sources.GetLiveAsync(_cts.Token)).FirstOrDefault(l => l.CreatorId == _creator.Id);
        }

        await LoadPeriodAsync(showSkeletons: true);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _interactive = true;
            StateHasChanged();
        }
    }

    private async Task OnPeriodChanged(Period period)
    {
        _period = period;
        await LoadPeriodAsync(showSkeletons: false);
    }

    private async Task OnSearchAsync(string? text)
    {
        _search = text;
        if (_queries is not null)
        {
            _matches = await _queries.SearchCreatorsAsync(text, 50, _cts.Token);
        }
    }

    /// <summary>
    /// Loads the creator's numbers for the period: KPIs first (the strip renders), then the series
    /// and lists in parallel (the queries open their own database contexts).
    /// </summary>
    private async Task LoadPeriodAsync(bool showSkeletons)
    {
        if (_queries is null || _creator is null)
        {
            return;
        }

        var id = _creator.Id;
        var period = _period;
        var token = _cts.Token;
        try
        {
            _kpis = await _queries.GetCreatorKpisAsync(id, period, token);
            _loading = false;
            if (showSkeletons)
            {
                _velocity = _followers = _clippers = null;
            }

            StateHasChanged();
            var velocity = _queries.GetSeriesAsync(EntityKind.Creator, id, SeriesMetrics.Velocity, period, token);
            var followers = _queries.GetSeriesAsync(EntityKind.Creator, id, SeriesMetrics.Followers, period, token);
            var clippers = _queries.GetSeriesAsync(EntityKind.Creator, id, SeriesMetrics.ClipperCount, period, token);
            var vods = _queries.GetCreatorVodsAsync(id, token);
            var clips = _queries.GetTopClipsAsync(id, period, 20, token);
            var topClippers = _queries.GetTopClippersAsync(id, period, 20, token);
            await Task.WhenAll(velocity, followers, clippers, vods, clips, topClippers);
            if (period != _period)
            {
                return; // a newer period's load owns the screen
            }

            _velocity = [new ChartSeries("views/h", await velocity)];
            _followers = [new ChartSeries("followers", await followers)];
            _clippers = [new ChartSeries("clippers", await clippers)];
            _vods = await vods;
            _clips = await clips;
            _clippers2 = await topClippers;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
