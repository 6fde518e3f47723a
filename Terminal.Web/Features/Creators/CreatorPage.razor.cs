using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using Terminal.Core.Alerts;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Web.Features.Watchlists;
using Terminal.Web.Features.Charts;
using Terminal.Web.Features.Shell;

namespace Terminal.Web.Features.Creators;

/// <summary>CRTR: one creator's KPIs, charts, VODs, top clips and top clippers for a period.</summary>
public sealed partial class CreatorPage
{
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

    private string? _userId;
    private bool _isAdmin;
    private int? _selectedClipId;
    private int? _selectedCreatorId;

    /// <summary>Top clips: arrows select, Enter opens the selected clip's source VOD in CLIP, W puts it on a watchlist.</summary>
    private async Task OnClipsKeyAsync(KeyboardEventArgs e)
    {
        var index = _selectedClipId is { } id ? _clips.ToList().FindIndex(c => c.Id == id) : -1;
        if (e.Key is "w" or "W")
        {
            if (index < 0)
            {
                Snackbar.Add("Select a clip first (click it, or ↑/↓), then press W to watch it.", Severity.Info);
                return;
            }

            var clip = _clips[index];
            await WatchAsync(new WatchlistItem(EntityKind.Clip, clip.Id, clip.Platform), $"clip {clip.Title}");
        }
        else if (e.Key == "Enter" && index >= 0 && _clips[index].VodId is { } vod)
        {
            Navigation.NavigateTo($"/clip/{vod}");
        }
        else if (GridKeys.Move(e.Key, index, _clips.Count) is { } next)
        {
            _selectedClipId = _clips[next].Id;
        }
    }

    /// <summary>A list of creators (search results): arrows select, Enter opens CRTR on the selected one, W puts it on a watchlist.</summary>
    private async Task OnCreatorsKeyAsync(KeyboardEventArgs e, IReadOnlyList<CreatorSummary> creators)
    {
        var index = _selectedCreatorId is { } id ? creators.ToList().FindIndex(c => c.Id == id) : -1;
        if (e.Key is "w" or "W")
        {
            if (index < 0)
            {
                Snackbar.Add("Select a creator first (click it, or ↑/↓), then press W to watch it.", Severity.Info);
                return;
            }

            var creator = creators[index];
            await WatchAsync(new WatchlistItem(EntityKind.Creator, creator.Id, creator.Platform), $"creator {creator.Handle}");
        }
        else if (e.Key == "Enter" && index >= 0)
        {
            Navigation.NavigateTo($"/crtr/{Uri.EscapeDataString(creators[index].Handle)}");
        }
        else if (GridKeys.Move(e.Key, index, creators.Count) is { } next)
        {
            _selectedCreatorId = creators[next].Id;
        }
    }

    /// <summary>W, as on TRND: the user picks one of their watchlists (or names a new one) for the item.</summary>
    private Task WatchAsync(WatchlistItem item, string label) =>
        Watchlists.AddWithDialogAsync(Dialogs, Snackbar, _userId, item, label, _cts.Token);

    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; set; }

    /// <summary>Who registered a VOD's source, as CRTR shows it: <c>you</c>, another <c>user</c>, the <c>demo</c> market or the <c>platform</c>.</summary>
    internal string SubmitterLabel(VodListItem vod) => vod.SubmittedBy switch
    {
        null => vod.IsDemo ? "demo" : "platform",
        var id when id == _userId => "you",
        _ => "user",
    };

    /// <summary>The submitter of a VOD and admins may delete it (SPEC §8); demo and platform VODs only admins.</summary>
    internal bool CanDelete(VodListItem vod) => _userId is not null && (_isAdmin || (vod.SubmittedBy is { } by && by == _userId));

    private async Task DeleteVodAsync(VodListItem vod)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete VOD", $"Delete \"{vod.Title}\" with its finished clips and media? This cannot be undone.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        try
        {
            await Removal.DeleteAsync(vod.Id, _userId!, _isAdmin, _cts.Token);
            _vods = _vods.Where(v => v.Id != vod.Id).ToList();
            Snackbar.Add($"Deleted \"{vod.Title}\".", Severity.Success);
        }
        catch (TerminalException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
        }
    }

    /// <summary>Creator handle (or numeric id) from the address or the command bar (CRTR mrbeast).</summary>
    [Parameter] public string? Handle { get; set; }

    /// <summary>No market source is running (the market's real status) and nothing is stored to show either.</summary>
    private bool NoMarket => Market.State == FeedState.Off && _creator is null && _matches.Count == 0 && string.IsNullOrEmpty(_search);

    /// <summary>The period to open on (TRND passes the one it was on): 1h, 24h, 7d or 30d.</summary>
    [SupplyParameterFromQuery(Name = "period")] public string? PeriodQuery { get; set; }

    protected override void OnInitialized()
    {
        if (Periods.TryParse(PeriodQuery, out var period))
        {
            _period = period.Value;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_userId is null && AuthState is not null)
        {
            var user = (await AuthState).User;
            _userId = user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
            _isAdmin = user.IsInRole(Terminal.Core.Accounts.Roles.Admin);
        }

        if (string.IsNullOrWhiteSpace(Handle))
        {
            _loading = false;
            _creator = null;
            _loadedHandle = null;
            _matches = await Queries.SearchCreatorsAsync(_search, 50, _cts.Token);
            return;
        }

        if (string.Equals(_loadedHandle, Handle, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        _loadedHandle = Handle;
        _loading = true;
        _creator = await Queries.FindCreatorAsync(Handle.TrimStart('@'), _cts.Token);
        if (_creator is null)
        {
            _matches = await Queries.SearchCreatorsAsync(Handle.TrimStart('@'), 10, _cts.Token);
            _loading = false;
            return;
        }

        // Real monitored channels: a LIVE marker with concurrent viewers while the creator streams.
        if (!_creator.IsDemo)
        {
            _live = (await Sources.GetLiveAsync(_cts.Token)).FirstOrDefault(l => l.CreatorId == _creator.Id);
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
        _matches = await Queries.SearchCreatorsAsync(text, 50, _cts.Token);
    }

    /// <summary>
    /// Loads the creator's numbers for the period: KPIs first (the strip renders), then the series
    /// and lists in parallel (the queries open their own database contexts).
    /// </summary>
    private async Task LoadPeriodAsync(bool showSkeletons)
    {
        if (_creator is null)
        {
            return;
        }

        var id = _creator.Id;
        var period = _period;
        var token = _cts.Token;
        try
        {
            _kpis = await Queries.GetCreatorKpisAsync(id, period, token);
            _loading = false;
            if (showSkeletons)
            {
                _velocity = _followers = _clippers = null;
            }

            StateHasChanged();
            var velocity = Queries.GetSeriesAsync(EntityKind.Creator, id, SeriesMetrics.Velocity, period, token);
            var followers = Queries.GetSeriesAsync(EntityKind.Creator, id, SeriesMetrics.Followers, period, token);
            var clippers = Queries.GetSeriesAsync(EntityKind.Creator, id, SeriesMetrics.ClipperCount, period, token);
            var vods = Queries.GetCreatorVodsAsync(id, token);
            var clips = Queries.GetTopClipsAsync(id, period, 20, token);
            var topClippers = Queries.GetTopClippersAsync(id, period, 20, token);
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
