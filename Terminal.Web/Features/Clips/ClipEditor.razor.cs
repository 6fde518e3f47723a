using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using Terminal.Core.Market;

namespace Terminal.Web.Features.Clips;

/// <summary>
/// The clip editor: a player, a zoomable timeline with the hot-zone strip, and draggable in/out
/// handles (the markup is in ClipEditor.razor, the timeline's pointer work in ClipEditor.razor.js).
/// </summary>
public sealed partial class ClipEditor
{
    private ElementReference _root;
    private ElementReference _video;
    private ElementReference _track;
    private IJSObjectReference? _module;
    private DotNetObjectReference<ClipEditor>? _self;
    private bool _ready;
    private double _rate;
    private double? _pendingSeek;
    private double _viewStart;
    private double? _viewSpan;

    /// <summary>The VOD being cut (duration, frame rate, media and thumbnail URLs).</summary>
    [Parameter, EditorRequired] public VodDetail Vod { get; set; } = default!;

    /// <summary>Hot-zone heat per bin, 0–1 (SPEC §3), drawn over the thumbnail strip.</summary>
    [Parameter] public IReadOnlyList<double> HotZones { get; set; } = [];

    /// <summary>In point, seconds.</summary>
    [Parameter] public double In { get; set; }

    [Parameter] public EventCallback<double> InChanged { get; set; }

    /// <summary>Out point, seconds.</summary>
    [Parameter] public double Out { get; set; }

    [Parameter] public EventCallback<double> OutChanged { get; set; }

    /// <summary>Mutes the player (tests, autoplay policies).</summary>
    [Parameter] public bool Muted { get; set; } = true;

    /// <summary>Playhead position, seconds.</summary>
    public double Current { get; private set; }

    private double Duration => Math.Max(0.001, Vod.DurationSeconds ?? 0.001);

    /// <summary>Start of the visible part of the timeline, seconds (zoom).</summary>
    public double ViewStart => Math.Clamp(_viewStart, 0, Duration - ViewSpan);

    /// <summary>Length of the visible part of the timeline, seconds; the whole VOD when not zoomed.</summary>
    public double ViewSpan => Math.Clamp(_viewSpan ?? Duration, MinSpan, Duration);

    private double MinSpan => Math.Min(Duration, Math.Max(1, 10 * FrameSeconds));

    private string WorldStyle => FormattableString.Invariant($"left:{-ViewStart / ViewSpan * 100:0.####}%;width:{Duration / ViewSpan * 100:0.####}%");

    private double FrameSeconds => 1.0 / (Vod.FrameRate is > 0 ? Vod.FrameRate.Value : 25.0);

    private string ThumbStyle => Vod.ThumbnailUrl is null ? "" : $"background-image:url('{Vod.ThumbnailUrl}')";

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _self = DotNetObjectReference.Create(this);
            _module = await JS.InvokeAsync<IJSObjectReference?>("import", "./Features/Clips/ClipEditor.razor.js");
            if (_module is not null)
            {
                await _module.InvokeVoidAsync("attach", _root, _track, _self, Duration);
            }

            _ready = true;
            StateHasChanged();
        }
    }

    /// <summary>
    /// Keyboard marks (SPEC §2): I/O make the frame on screen the clip's first/last frame (in = that frame's start,
    /// out = its end), J/K/L shuttle back/pause/forward, arrows step a frame (Shift: a second).
    /// </summary>
    public async Task HandleKeyAsync(string key, bool shift)
    {
        switch (key)
        {
            case "i" or "I":
                await SetInAsync(FrameStart(Current));
                break;
            case "o" or "O":
                await SetOutAsync(Math.Min(Duration, SnapToFrame(FrameStart(Current) + FrameSeconds)));
                break;
            case " ":
                _rate = _rate == 0 ? 1 : 0;
                _pendingSeek = null;
                await VideoAsync("shuttle", _rate);
                break;
            case "k" or "K":
                _rate = 0;
                _pendingSeek = null;
                await VideoAsync("shuttle", 0);
                break;
            case "l" or "L":
                _rate = _rate <= 0 ? 1 : Math.Min(_rate * 2, 8);
                await VideoAsync("shuttle", _rate);
                break;
            case "j" or "J":
                _rate = _rate >= 0 ? -1 : Math.Max(_rate * 2, -8);
                await VideoAsync("shuttle", _rate);
                break;
            case "ArrowLeft":
                await StepAsync(shift ? -1 : -FrameSeconds);
                break;
            case "ArrowRight":
                await StepAsync(shift ? 1 : FrameSeconds);
                break;
            case "+" or "=":
                Zoom(ViewSpan / 2, Current);
                break;
            case "-" or "_":
                Zoom(ViewSpan * 2, Current);
                break;
            case "z" or "Z":
                Zoom(Math.Max(Out - In, 0) * 1.5, (In + Out) / 2);
                break;
            case "0":
                _viewSpan = null;
                _viewStart = 0;
                break;
            case "Home":
                await SeekAsync(0);
                break;
            case "End":
                await SeekAsync(Duration);
                break;
        }
    }

    /// <summary>The player reports its position while playing.</summary>
    [JSInvokable]
    public Task OnTimeUpdate(double seconds, bool playing)
    {
        if (!playing && _pendingSeek is { } target)
        {
            // Reports of earlier seeks still in flight must not move the playhead back.
            if (Math.Abs(seconds - target) > 0.0005)
            {
                return Task.CompletedTask;
            }

            _pendingSeek = null;
        }

        if (playing)
        {
            _pendingSeek = null;
        }
        else
        {
            _rate = 0;
        }

        Current = Clamp(seconds);

        StateHasChanged();
        return Task.CompletedTask;
    }

    /// <summary>A handle was dragged to <paramref name="fraction"/> of the (visible) track.</summary>
    [JSInvokable]
    public async Task OnHandleDrag(string handle, double fraction)
    {
        var seconds = SnapToFrame(Clamp(ViewStart + fraction * ViewSpan));
        if (handle == "in")
        {
            await SetInAsync(Math.Min(seconds, Out - FrameSeconds));
        }
        else if (handle == "out")
        {
            await SetOutAsync(Math.Max(seconds, In + FrameSeconds));
        }

        StateHasChanged();
    }

    /// <summary>A click on the track moves the playhead to the start of the frame there, like drags and arrows.</summary>
    [JSInvokable]
    public async Task OnTrackSeek(double fraction)
    {
        await SeekAsync(SnapToFrame(Clamp(ViewStart + fraction * ViewSpan)));
        StateHasChanged();
    }

    private async Task OnKeyDown(KeyboardEventArgs e) => await HandleKeyAsync(e.Key, e.ShiftKey);

    private async Task StepAsync(double delta)
    {
        // The target is taken before any await: key repeats interleave at the awaits. It is a frame start, so
        // stepping never drifts off the frame grid (1/30 s is not a whole number of milliseconds).
        var target = SnapToFrame(FrameStart(Current) + delta);
        var wasMoving = _rate != 0;
        _rate = 0;
        Current = Clamp(Math.Round(target, 3));
        _pendingSeek = Current;
        Follow();
        if (wasMoving)
        {
            await VideoAsync("shuttle", 0);
        }

        await VideoAsync("seek", Current);
    }

    private async Task SeekAsync(double seconds)
    {
        Current = Clamp(Math.Round(seconds, 3));
        _pendingSeek = Current;
        Follow();
        await VideoAsync("seek", Current);
    }

    private async Task SetInAsync(double seconds)
    {
        In = Math.Round(Clamp(seconds), 3);
        if (Out <= In)
        {
            Out = Math.Round(Math.Min(Duration, In + 5), 3);
            await OutChanged.InvokeAsync(Out);
        }

        await InChanged.InvokeAsync(In);
    }

    private async Task SetOutAsync(double seconds)
    {
        Out = Math.Round(Clamp(seconds), 3);
        if (In >= Out)
        {
            In = Math.Round(Math.Max(0, Out - 5), 3);
            await InChanged.InvokeAsync(In);
        }

        await OutChanged.InvokeAsync(Out);
    }

    private async Task VideoAsync(string function, double value)
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync(function, _root, value);
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone.
            }
        }
    }

    private double Clamp(double seconds) => double.IsFinite(seconds) ? Math.Clamp(seconds, 0, Duration) : 0;

    private double SnapToFrame(double seconds) => Math.Round(Math.Round(seconds / FrameSeconds) * FrameSeconds, 3);

    /// <summary>
    /// Start of the frame on screen at <paramref name="seconds"/>: a player shows frame ⌊t·fps⌋. The slack absorbs the
    /// millisecond rounding of frame starts (frame 1 at 30 fps is stored as 0.033 s, just before 1/30).
    /// </summary>
    private double FrameStart(double seconds) => Clamp(Math.Round(Math.Floor((seconds + 0.0006) / FrameSeconds) * FrameSeconds, 3));

    private double Pct(double seconds) => Math.Round((Clamp(seconds) - ViewStart) / ViewSpan * 100, 4);

    private string HandleStyle(double seconds)
    {
        var pct = Pct(seconds);
        return pct is < 0 or > 100 ? "display:none" : FormattableString.Invariant($"left:{pct}%");
    }

    /// <summary>Shows <paramref name="span"/> seconds of the VOD centred on <paramref name="centre"/>.</summary>
    private void Zoom(double span, double centre)
    {
        var clamped = Math.Clamp(span, MinSpan, Duration);
        _viewSpan = clamped >= Duration ? null : clamped;
        _viewStart = Math.Clamp(centre - (clamped / 2), 0, Duration - clamped);
    }

    /// <summary>Scrolls a zoomed timeline so the playhead stays in view.</summary>
    private void Follow()
    {
        if (Current < ViewStart || Current > ViewStart + ViewSpan)
        {
            _viewStart = Math.Clamp(Current - (ViewSpan / 2), 0, Duration - ViewSpan);
        }
    }

    private string HeatStyle(int i, double heat) =>
        FormattableString.Invariant($"left:{i * 100.0 / HotZones.Count}%;width:{100.0 / HotZones.Count}%;opacity:{0.15 + 0.7 * heat:0.###}");

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("detach", _root);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone.
            }
        }

        _self?.Dispose();
    }
}
