using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Core.Market;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>What a worker run ended with.</summary>
public enum ClipRunOutcome
{
    /// <summary>Finished (ready, failed or cancelled) or nothing to do.</summary>
    Done,

    /// <summary>The app is stopping: the request is back to pending and resumes at the next start.</summary>
    Interrupted,
}

/// <summary>
/// Cuts one clip: claims the pending row with a lease (<see cref="IClipRequests.ClaimAsync"/>), runs
/// ffmpeg through <see cref="FfmpegRunner"/> into a temp file while renewing the lease, renames it into
/// the clips folder, and records ready, failed (with refund) or cancelled through the store's guarded
/// transitions. Progress goes to the row and to the owner at most twice a second.
/// </summary>
public sealed class ClipWorker(
    IVods vods,
    IClipRequests requests,
    ClipService clipService,
    ClipQueue queue,
    FfmpegRunner runner,
    ClipCutter cutter,
    MediaSources sources,
    MediaPaths paths,
    TimeProvider time,
    IOptions<ClipOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ClipWorker> logger)
{
    public static readonly string WorkerName = $"{Environment.MachineName}/{Environment.ProcessId}";
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs the request when an encode slot is free (waiting for one on the runner's semaphore).</summary>
    public async Task<ClipRunOutcome> RunAsync(Guid requestId, CancellationToken jobToken)
    {
        // The app stopping (not only Quartz interrupting) stops ffmpeg and puts the request back to pending,
        // so a restart resumes it instead of the shutdown killing ffmpeg mid-write and failing it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(jobToken, lifetime.ApplicationStopping);
        var stopping = stop.Token;
        using var slot = await runner.AcquireEncodeSlotAsync(Timeout.InfiniteTimeSpan, stopping);

        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var request = await requests.ClaimAsync(requestId, WorkerName, time.GetUtcNow().UtcDateTime + lease, stopping);
        if (request is null)
        {
            return ClipRunOutcome.Done; // not pending any more (cancelled, done, or claimed elsewhere)
        }

        if (request.Attempts > options.Value.MaxAttempts)
        {
            await FailAsync(request, $"Gave up after {options.Value.MaxAttempts} attempts.");
            return ClipRunOutcome.Done;
        }

        await clipService.NotifyAsync(request, CancellationToken.None);
        using var registration = queue.Register(requestId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, registration.Token);
        var temp = Path.Combine(paths.ClipTempFolder, $"{requestId:N}.mp4");
        var final = Path.Combine(paths.ClipFolder, $"{requestId:N}.mp4");
        using var progress = new ProgressPump(requests, clipService, request, time, lease);
        try
        {
            var vod = await vods.FindAsync(request.VodId, linked.Token)
                ?? throw new MediaException("The VOD no longer exists.");
            await using var input = await sources.ResolveAsync(vod, linked.Token);
            progress.Start();
            var result = await cutter.CutAsync(input, request.Mode, request.StartSeconds, request.DurationSeconds, temp, progress.Report, linked.Token);
            await progress.StopAsync();
            if (!result.Succeeded || !File.Exists(temp) || new FileInfo(temp).Length == 0)
            {
                throw new MediaException(input.Explain("the cut failed"), $"ffmpeg failed: {result.Result.Reason}");
            }

            File.Move(temp, final, overwrite: true);
            var done = time.GetUtcNow().UtcDateTime;
            var bytes = new FileInfo(final).Length;
            var expires = done.AddHours(options.Value.RetentionHours);
            if (!await requests.CompleteAsync(requestId, WorkerName, Path.GetFileName(final), bytes, done, expires, CancellationToken.None, result.Strategy, result.FallbackReason))
            {
                File.Delete(final); // cancelled (or taken back) while finishing
                return ClipRunOutcome.Done;
            }

            logger.LogInformation("Clip {RequestId} ready ({Mode}/{Strategy}, {Duration} s) in {Elapsed}", requestId, request.Mode, result.Strategy, request.DurationSeconds, result.Elapsed);
            request.Status = ClipStatus.Ready;
            request.Progress = 100;
            await clipService.NotifyAsync(request, CancellationToken.None);
            return ClipRunOutcome.Done;
        }
        catch (OperationCanceledException) when (registration.CancelRequested)
        {
            // CancelAsync already recorded the cancellation and the refund.
            logger.LogInformation("Clip {RequestId} cancelled; ffmpeg stopped", requestId);
            return ClipRunOutcome.Done;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await requests.RequeueAsync(requestId, WorkerName, CancellationToken.None);
            logger.LogInformation("Clip {RequestId} interrupted by shutdown; it resumes at the next start", requestId);
            return ClipRunOutcome.Interrupted;
        }
        catch (MediaException e)
        {
            logger.LogWarning("Clip {RequestId} failed: {Reason} ({Detail})", requestId, e.Message, e.Detail);
            await FailAsync(request, e.Message);
            return ClipRunOutcome.Done;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbUpdateException or InvalidOperationException)
        {
            logger.LogError(e, "Clip {RequestId} failed", requestId);
            await FailAsync(request, "The clip could not be written; it has been logged.");
            return ClipRunOutcome.Done;
        }
        finally
        {
            await progress.StopAsync();
            TryDelete(temp);
        }
    }

    private async Task FailAsync(ClipRequest request, string error)
    {
        logger.LogWarning("Clip {RequestId} failed: {Error}", request.Id, error);
        if (await requests.FailAndRefundAsync(request.Id, error, CancellationToken.None))
        {
            request.Status = ClipStatus.Failed;
            await clipService.NotifyAsync(request, CancellationToken.None);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The retention job sweeps leftovers.
        }
    }

    /// <summary>Carries ffmpeg's progress (reported on its reader thread) to the row and the owner on a timer, renewing the lease.</summary>
    private sealed class ProgressPump(IClipRequests requests, ClipService clips, ClipRequest request, TimeProvider time, TimeSpan lease) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private double _latest;
        private double _sent = -1;
        private DateTime _renewed = time.GetUtcNow().UtcDateTime;
        private Task? _loop;

        public void Report(double fraction) => Volatile.Write(ref _latest, fraction);

        public void Start() => _loop = Task.Run(LoopAsync);

        public async Task StopAsync()
        {
            if (_loop is null)
            {
                return;
            }

            await _stop.CancelAsync();
            await _loop;
            _loop = null;
        }

        public void Dispose() => _stop.Dispose();

        private async Task LoopAsync()
        {
            using var timer = new PeriodicTimer(ProgressInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var percent = Math.Round(Volatile.Read(ref _latest) * 100, 1);
                    var now = time.GetUtcNow().UtcDateTime;
                    // A slow stretch with no new percent still renews the lease well before it lapses.
                    if (percent <= _sent && now - _renewed < lease / 3)
                    {
                        continue;
                    }

                    try
                    {
                        await requests.ReportProgressAsync(request.Id, WorkerName, Math.Max(percent, _sent), now + lease, _stop.Token);
                        _renewed = now;
                        if (percent > _sent)
                        {
                            _sent = percent;
                            request.Progress = percent;
                            await clips.NotifyAsync(request, _stop.Token);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // A missed progress tick (busy database, a hub hiccup) must not fail the cut; the next tick retries.
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }
}
