using Terminal.Core.Market;
using Terminal.Core.Trends;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using Terminal.Web.Features.Shell;

namespace Terminal.Web.Features.Trends;

/// <summary>
/// One live, sortable, virtualised ranking (creators, topics or clips). It subscribes to
/// <see cref="ITrendTicker"/> for its topic after the first render, re-queries
/// <see cref="ITrendReader"/> when a niche or search filter is on, keeps the user's sort, selection
/// and scroll across updates, and flashes the cells that moved.
/// </summary>
public sealed partial class TrendPanel
{
    private readonly Dictionary<int, (double Velocity, double? Change)> _previous = [];
    private Dictionary<int, (int Velocity, int Change)> _flash = [];
    private IReadOnlyList<TrendItem> _items = [];
    private TrendItem[] _rows = [];
    private IReadOnlyList<TrendItem>? _pending;
    private DateTime? _pendingAt;
    private DateTime? _generatedAt;
    private TrendColumn _sortColumn = TrendColumn.Rank;
    private bool _sortDescending;
    private int? _selectedId;
    private IDisposable? _subscription;
    private RenderThrottle? _throttle;
    private string? _topic;
    private string? _filterKey;
    private bool _started;
    private bool _scrollPending;
    private bool _autoSelected;
    private bool _selectionLost;
    private bool _restorePending;
    private bool _ranked;
    private int _generation;
    private long _updates;
    private ElementReference _scroller;
    private IJSObjectReference? _shell;

    /// <summary>What this panel ranks.</summary>
    [Parameter, EditorRequired] public EntityKind Kind { get; set; }

    /// <summary>Panel title.</summary>
    [Parameter] public string Title { get; set; } = "";

    /// <summary>Platform filter (null = all).</summary>
    [Parameter] public Platform? Platform { get; set; }

    /// <summary>Trend window.</summary>
    [Parameter] public Period Period { get; set; } = Period.Day;

    /// <summary>Niche filter.</summary>
    [Parameter] public int? TopicId { get; set; }

    /// <summary>Name/creator search.</summary>
    [Parameter] public string? Search { get; set; }

    /// <summary>A watchlist filter (SPEC §11): only these entities of this panel's kind; null = no watchlist.</summary>
    [Parameter] public IReadOnlySet<int>? WatchIds { get; set; }

    /// <summary>The watchlist's name, for the empty state.</summary>
    [Parameter] public string? WatchName { get; set; }

    /// <summary>Which market: all, live (real platform data) or demo (SPEC §9).</summary>
    [Parameter] public MarketSourceFilter Source { get; set; }

    /// <summary>Grid height in pixels (it scrolls and virtualises inside).</summary>
    [Parameter] public int Height { get; set; } = 300;

    /// <summary>Whether the platform column shows (topics span platforms).</summary>
    [Parameter] public bool ShowPlatform { get; set; } = true;

    /// <summary>Whether the clipper-count column shows.</summary>
    [Parameter] public bool ShowClippers { get; set; } = true;

    /// <summary>Rows asked from the reader when filtering.</summary>
    [Parameter] public int Limit { get; set; } = 200;

    /// <summary>Raised when a row is selected (click or arrows).</summary>
    [Parameter] public EventCallback<TrendItem> OnSelect { get; set; }

    /// <summary>
    /// Select the top row by itself once rows first show (interactive only), so the page's chart has
    /// something to show before the user clicks; a selection the user makes is never overridden.
    /// </summary>
    [Parameter] public bool AutoSelectFirst { get; set; }

    /// <summary>
    /// Raised when a filter change removed the selected row from this panel, so whatever showed it (the page's
    /// chart) lets go of it; an auto-selecting panel then picks its new top row.
    /// </summary>
    [Parameter] public EventCallback OnSelectionLost { get; set; }

    /// <summary>A row to select as soon as it shows (from the address: a bookmarked or reloaded view).</summary>
    [Parameter] public int? InitialSelectedId { get; set; }

    /// <summary>Raised on Enter or double-click.</summary>
    [Parameter] public EventCallback<TrendItem> OnOpen { get; set; }

    /// <summary>The function key that focuses this panel's grid from anywhere on the page (F1, F2, …), or null.</summary>
    [Parameter] public string? FocusKey { get; set; }

    internal string KindKey => Kind.ToWire();

    internal IReadOnlyList<TrendItem> Rows => _rows;

    /// <summary>Real and DEMO rows share the panel: only then does each DEMO row carry its own mark
    /// (an all-demo panel is labelled once, by the DEMO badge).</summary>
    private bool MixedSources => _rows.Any(r => r.IsDemo) && _rows.Any(r => !r.IsDemo);

    /// <summary>The empty grid says why: no market source is running (the market's real status), the filters match nothing, or the first ranking is on its way.</summary>
    private string EmptyText => Market.State == FeedState.Off
        ? "No market data source is running. Enable the demo feed (Terminal:DemoFeed:Enabled) or link an account in ACCT."
        : WatchIds is { Count: 0 }
            ? $"No {KindKey}s in watchlist ‘{WatchName}’."
        : WatchIds is not null
            ? $"Nothing in watchlist ‘{WatchName}’ matches these filters."
        : !string.IsNullOrWhiteSpace(Search) || TopicId is not null
            ? "Nothing matches these filters — clear the search or pick another niche."
            : "Waiting for the first ranking…";

    /// <summary>Rows from the reader straight away, so even the prerendered page shows the market.</summary>
    protected override void OnInitialized()
    {
        _selectedId = InitialSelectedId;
        _restorePending = InitialSelectedId is not null;
        _topic = TrendTopics.Of(Kind, Platform, Period, Source);
        _filterKey = FilterKey();
        LoadFromReader();
    }

    protected override void OnParametersSet()
    {
        var topic = TrendTopics.Of(Kind, Platform, Period, Source);
        var filterKey = FilterKey();
        var filtersChanged = _started && (topic != _topic || filterKey != _filterKey);
        if (filtersChanged)
        {
            _filterKey = filterKey;
            Resubscribe(topic);
            LoadFromReader();
        }
        else
        {
            _filterKey = filterKey;
        }

        _rows = TrendRows.Sort(Filter(_items), _sortColumn, _sortDescending);
        if (filtersChanged && _selectedId is { } selected && !_rows.Any(r => r.Id == selected))
        {
            _selectedId = null;
            _autoSelected = false;
            _selectionLost = true;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_scrollPending)
        {
            // The row moved to by the keyboard is in the DOM now: bring it into view.
            _scrollPending = false;
            await ScrollSelectedAsync();
        }

        if (_restorePending && _selectedId is { } restore && _rows.FirstOrDefault(r => r.Id == restore) is { } restored)
        {
            _restorePending = false;
            _autoSelected = true;
            await OnSelect.InvokeAsync(restored);
        }

        if (_selectionLost)
        {
            _selectionLost = false;
            await OnSelectionLost.InvokeAsync();
        }

        if (AutoSelectFirst && !_autoSelected && _selectedId is null && _rows.Length > 0)
        {
            _autoSelected = true;
            await SelectAsync(_rows[0]);
            StateHasChanged();
        }

        if (!firstRender)
        {
            return;
        }

        _started = true;
        _throttle = new RenderThrottle(FlushAsync, RenderThrottle.Default, Time);
        Resubscribe(TrendTopics.Of(Kind, Platform, Period, Source));
    }

    /// <summary>How many placeholder rows stand in for the ranking before the first one arrives.</summary>
    internal const int SkeletonRows = 12;

    /// <summary>Clip titles longer than this are shortened from the middle (the full title is the cell's tooltip).</summary>
    internal const int ClipTitleMax = 34;

    /// <summary>No ranking has arrived yet while a source runs and no filter is on: the panel is loading, not empty.</summary>
    private bool Waiting => _rows.Length == 0 && !_ranked && Market.State != FeedState.Off && !Filtered;

    private string DisplayName(TrendItem row) => Kind == EntityKind.Clip ? Fmt.MiddleEllipsis(row.Name, ClipTitleMax) : row.Name;

    private bool Filtered => TopicId is not null || !string.IsNullOrWhiteSpace(Search) || WatchIds is not null;

    private string FilterKey() =>
        $"{TopicId}|{Search?.Trim()}|{(WatchIds is null ? "-" : string.Join(',', WatchIds.Order()))}";

    private void Resubscribe(string topic)
    {
        _subscription?.Dispose();
        _subscription = null;
        _topic = topic;
        _subscription = Ticker.Subscribe(topic, OnTick);
    }

    /// <summary>Fills the panel at once from the reader (no wait for the next tick).</summary>
    private void LoadFromReader()
    {
        var result = Reader.Query(Query());
        Apply(result.Data, result.GeneratedAt);
    }

    private TrendQuery Query() =>
        new(Kind, Platform, Period, Filtered ? Limit : 50, TopicId, string.IsNullOrWhiteSpace(Search) ? null : Search.Trim()) { Source = Source, Ids = WatchIds };

    private void OnTick(TrendTick tick)
    {
        if (tick.Topic != _topic)
        {
            return;
        }

        IReadOnlyList<TrendItem> items = tick.Items;
        var at = tick.At;
        lock (_previous)
        {
            _pending = items;
            _pendingAt = at;
        }

        _throttle?.Signal();
    }

    private async Task FlushAsync()
    {
        try
        {
            await InvokeAsync(() =>
            {
                IReadOnlyList<TrendItem>? items;
                DateTime? at;
                lock (_previous)
                {
                    items = _pending;
                    at = _pendingAt;
                    _pending = null;
                }

                if (items is null)
                {
                    return;
                }

                if (Filtered)
                {
                    // The tick says "the market moved"; the filtered ranking comes from the reader.
                    var result = Reader.Query(Query());
                    items = result.Data;
                    at = result.GeneratedAt;
                }

                // A tick is a ranking, even an empty one: from now on an empty grid is empty, not loading.
                _ranked = true;
                Apply(items, at);
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the tick and the render.
        }
        catch (Exception ex)
        {
            // A failure on the ticker's thread belongs to this circuit's error handling, not the feed's.
            await DispatchExceptionAsync(ex);
        }
    }

    private void Apply(IReadOnlyList<TrendItem> items, DateTime? at)
    {
        _generation ^= 1;
        var flash = new Dictionary<int, (int, int)>();
        foreach (var item in items)
        {
            if (_previous.TryGetValue(item.Id, out var before))
            {
                var v = Math.Sign(item.Velocity - before.Velocity);
                var c = Math.Sign((item.Change ?? 0) - (before.Change ?? 0));
                if (v != 0 || c != 0)
                {
                    flash[item.Id] = (v, c);
                }
            }

            _previous[item.Id] = (item.Velocity, item.Change);
        }

        _flash = flash;
        _ranked |= items.Count > 0;
        _items = items;
        _generatedAt = at;
        _updates++;
        _rows = TrendRows.Sort(Filter(items), _sortColumn, _sortDescending);
    }

    /// <summary>When the rows come from the unfiltered ticker, the search and the watchlist still apply.</summary>
    private IEnumerable<TrendItem> Filter(IEnumerable<TrendItem> items)
    {
        var search = Search?.Trim();
        var watched = WatchIds is { } ids ? items.Where(i => ids.Contains(i.Id)) : items;
        return string.IsNullOrEmpty(search) ? watched : watched.Where(i => i.Name.Contains(search, StringComparison.OrdinalIgnoreCase));
    }

    private string? FlashClass(int direction) => direction switch
    {
        > 0 => $"flash-up-{_generation}",
        < 0 => $"flash-down-{_generation}",
        _ => null,
    };

    internal void SortBy(TrendColumn column)
    {
        if (_sortColumn == column)
        {
            _sortDescending = !_sortDescending;
        }
        else
        {
            _sortColumn = column;
            // Numbers read best largest-first; rank and names ascending.
            _sortDescending = column is TrendColumn.Velocity or TrendColumn.Change or TrendColumn.Heat or TrendColumn.Clippers;
        }

        _rows = TrendRows.Sort(Filter(_items), _sortColumn, _sortDescending);
    }

    private async Task SelectAsync(TrendItem row)
    {
        _selectedId = row.Id;
        await OnSelect.InvokeAsync(row);
    }

    private Task OpenAsync(TrendItem row) => OnOpen.InvokeAsync(row);

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (_rows.Length == 0)
        {
            return;
        }

        var index = _selectedId is { } id ? IndexOf(id) : -1;
        var next = GridKeys.Move(e.Key, index, _rows.Length);

        if (e.Key == "Enter" && index >= 0)
        {
            await OpenAsync(_rows[index]);
            return;
        }

        if (next is { } n && n != index)
        {
            _scrollPending = true;
            await SelectAsync(_rows[n]);
        }
    }

    /// <summary>A navigation key from the page (the grid itself did not have focus).</summary>
    internal async Task PressAsync(string key)
    {
        await OnKeyDownAsync(new KeyboardEventArgs { Key = key });
        StateHasChanged();
    }

    /// <summary>Moves the keyboard focus into this panel's grid.</summary>
    internal async Task FocusAsync()
    {
        try
        {
            await _scroller.FocusAsync(preventScroll: true);
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private int IndexOf(int id)
    {
        for (var i = 0; i < _rows.Length; i++)
        {
            if (_rows[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    private async Task ScrollSelectedAsync()
    {
        try
        {
            _shell ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/shell.js");
            await _shell.InvokeVoidAsync("scrollSelectedIntoView", _scroller);
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private async Task ExportAsync()
    {
        var bytes = TrendRows.ToCsv(_rows, _gaps);
        var name = $"clip-terminal-{KindKey}s-{Platform?.ToWire() ?? "all"}-{Period.ToWire()}-{Time.GetUtcNow():yyyyMMdd-HHmmss}.csv";
        _shell ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/shell.js");
        await _shell.InvokeVoidAsync("downloadFile", name, "text/csv", Convert.ToBase64String(bytes));
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _throttle?.Dispose();
        if (_shell is not null)
        {
            try
            {
                await _shell.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }
}
