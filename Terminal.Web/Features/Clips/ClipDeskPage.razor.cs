using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Terminal.Core.Clips;
using Terminal.Core.Credits;
using Terminal.Jobs.Media;

namespace Terminal.Web.Features.Clips;

/// <summary>
/// The desk of one VOD: the editor with its hot zones, the request panel (in, out, mode, cost) and the
/// user's jobs of that VOD with live progress. Everything it shows comes from <see cref="ClipDesk"/> as view records.
/// </summary>
public sealed partial class ClipDeskPage
{
    private readonly CancellationTokenSource _cts = new();
    private VodDetail? _vod;
    private string? _creator;
    private bool _notFound;
    private double[] _hotZones = [];
    private double _in;
    private double _out;
    private ClipMode _mode = ClipMode.Exact;
    private bool _busy;
    private int _credits;
    private string _userId = "";
    private List<ClipJobView> _jobs = [];
    private IDisposable? _subscription;
    private VodPreparationState? _preparation;
    private Guid? _watching;

    [Inject] private ClipDesk Desk { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private AuthenticationStateProvider Auth { get; set; } = default!;

    [Inject] private VodPreparationProgress Preparation { get; set; } = default!;

    /// <summary>How many preparation watches this desk has started (one per VOD it waited for; tests read it).</summary>
    internal int PreparationWatches { get; private set; }

    /// <summary>The VOD to cut.</summary>
    [Parameter] public Guid VodId { get; set; }

    /// <summary>A range to mark when the VOD opens, in seconds (<c>?in=12.5&amp;out=40</c>; INSG outliers link a clip's source range).</summary>
    [SupplyParameterFromQuery(Name = "in")] public double? LinkIn { get; set; }

    /// <summary>End of the linked range, in seconds.</summary>
    [SupplyParameterFromQuery(Name = "out")] public double? LinkOut { get; set; }

    private int Cost => _out > _in ? CreditRules.CostOf(_out - _in) : 0;

    protected override async Task OnInitializedAsync()
    {
        var state = await Auth.GetAuthenticationStateAsync();
        _userId = state.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
    }

    protected override async Task OnParametersSetAsync()
    {
        _vod = null;
        _notFound = false;
        var id = VodId;
        await LoadVodAsync(id);
        if (_vod is not null && !ClipDesk.IsPrepared(_vod) && _watching != id)
        {
            // One watch per VOD: parameters set again (a re-render of the route, the same address) must not start a second one.
            _watching = id;
            PreparationWatches++;
            _preparation = Preparation.Get(id);
            _ = WatchPreparationAsync(id);
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && !string.IsNullOrEmpty(_userId))
        {
            _subscription = Desk.Subscribe(_userId, OnProgressAsync);
        }
    }

    private async Task LoadVodAsync(Guid id)
    {
        var view = await Desk.OpenAsync(_userId, id, _cts.Token);
        if (view is null)
        {
            _notFound = true;
            return;
        }

        _creator = view.CreatorName;
        if (view.Vod.DurationSeconds is { } duration)
        {
            _hotZones = view.HotZones;
            if (ClipRange.FromLink(LinkIn, LinkOut, duration) is { } linked && (_vod is null || _out <= 0))
            {
                (_in, _out) = (linked.Start, linked.End);
            }
            else if (_out <= 0 || _out > duration)
            {
                _in = 0;
                _out = Math.Round(Math.Min(duration, 10), 3);
            }
        }

        _jobs = view.Jobs.ToList();
        _credits = view.Credits;
        _vod = view.Vod;
    }

    /// <summary>
    /// The desk's one loop while a VOD is prepared: four times a second it reads the preparation's progress
    /// (in memory) for the bar, and once a second — or as soon as that progress ends — it reads the VOD to see
    /// whether it is ready (or failed). The progress bar itself only shows what this loop hands it.
    /// </summary>
    private async Task WatchPreparationAsync(Guid id)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_cts.Token))
            {
                if (VodId != id)
                {
                    return;
                }

                var state = Preparation.Get(id);
                var ended = _preparation is not null && state is null;
                if (state != _preparation)
                {
                    await InvokeAsync(() =>
                    {
                        _preparation = state;
                        StateHasChanged();
                    });
                }

                if (!ended && ++tick % 4 != 0)
                {
                    continue;
                }

                var vod = await Desk.VodAsync(id, _cts.Token);
                if (vod is null || VodId != id)
                {
                    return;
                }

                if (ClipDesk.IsSettled(vod))
                {
                    await InvokeAsync(async () =>
                    {
                        await LoadVodAsync(id);
                        StateHasChanged();
                    });
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Left the page.
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    }

    private async Task RequestAsync()
    {
        if (_vod is null)
        {
            return;
        }

        _busy = true;
        try
        {
            var (job, credits) = await Desk.RequestAsync(_userId, _vod.Id, _in, _out, _mode, _cts.Token);
            _jobs.Insert(0, job);
            _credits = credits;
            Snackbar.Add($"Clip requested ({job.Credits} credit{(job.Credits == 1 ? "" : "s")}).", Severity.Info);
        }
        catch (TerminalException e)
        {
            Snackbar.Add(e.Message, e.Kind == ErrorKind.PaymentRequired ? Severity.Warning : Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private Task CancelAsync(Guid id) => ActAsync(() => Desk.CancelAsync(_userId, id, _cts.Token), "Clip cancelled; credits refunded.");

    private Task RetryAsync(Guid id) => ActAsync(() => Desk.RetryAsync(_userId, id, _cts.Token), "Clip queued again.");

    private async Task ActAsync(Func<Task<ClipJobChange>> action, string message)
    {
        try
        {
            var (job, credits) = await action();
            Replace(job);
            _credits = credits;
            Snackbar.Add(message, Severity.Info);
        }
        catch (TerminalException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
    }

    private void Download(Guid id) => Navigation.NavigateTo(Desk.DownloadUrl(id), forceLoad: true);

    private Task OnProgressAsync(ClipProgress progress) => InvokeAsync(async () =>
    {
        var index = _jobs.FindIndex(j => j.Id == progress.RequestId);
        if (index < 0)
        {
            return;
        }

        var job = _jobs[index];
        var wasFinal = job.IsFinal;
        // A final state carries what the row shows (file, error, who cancelled) and moved credits: read both again.
        if (progress.Status is ClipStatus.Ready or ClipStatus.Failed or ClipStatus.Cancelled)
        {
            (job, _credits) = await Desk.JobAsync(_userId, progress.RequestId, _cts.Token);
        }
        else if (progress.Status == ClipStatus.Processing && job.StartedAt is null)
        {
            (job, _) = await Desk.JobAsync(_userId, progress.RequestId, _cts.Token); // its start time feeds the row's ETA
            job = job with { Progress = progress.Progress };
        }
        else
        {
            job = job with { Status = progress.Status, Progress = progress.Progress };
        }

        Replace(job);
        if (!wasFinal && job.Status == ClipStatus.Ready)
        {
            Snackbar.Add($"Clip {ClipTime.Format(job.StartSeconds)}–{ClipTime.Format(job.EndSeconds)} is ready.", Severity.Success);
        }
        else if (!wasFinal && job.Status == ClipStatus.Failed)
        {
            Snackbar.Add($"Clip failed: {job.Error}", Severity.Error);
        }
        else if (!wasFinal && job.Status == ClipStatus.Cancelled)
        {
            Snackbar.Add($"Clip {ClipTime.Format(job.StartSeconds)}–{ClipTime.Format(job.EndSeconds)}: {job.Error} {job.Credits} credit{(job.Credits == 1 ? "" : "s")} refunded.", Severity.Warning);
        }

        StateHasChanged();
    });

    private void Replace(ClipJobView job)
    {
        var index = _jobs.FindIndex(j => j.Id == job.Id);
        if (index >= 0)
        {
            _jobs[index] = job;
        }
    }

    private static string JobClass(ClipStatus status) => status switch
    {
        ClipStatus.Ready => "up",
        ClipStatus.Failed or ClipStatus.Cancelled => "down",
        _ => "",
    };

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }

    /// <summary>Resolution, codecs and frame rate once the media is probed; until then what is known, and "probing…" for the rest.</summary>
    internal static string MediaFacts(VodDetail vod)
    {
        var size = vod.Width is { } w && vod.Height is { } h ? string.Create(CultureInfo.InvariantCulture, $"{w}×{h}") : null;
        if (vod.VideoCodec is null)
        {
            return size is null ? "media not probed yet" : size + " · codecs not probed yet";
        }

        var fps = vod.FrameRate is { } f ? f.ToString("0.##", CultureInfo.InvariantCulture) + " fps" : "variable fps";
        return string.Join(" · ", new[] { size, vod.VideoCodec + "/" + (vod.AudioCodec ?? "no audio"), fps }.Where(p => p is not null));
    }
}
