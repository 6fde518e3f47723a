using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Data;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>What a worker run ended with.</summary>
public enum ClipRunOutcome
{
    /// <summary>Finished (ready, failed or cancelled) or nothing to do.</summary>
    Done,

    /// <summary>Every encode slot is busy; run it again shortly.</summary>
    Busy,

    /// <summary>The app is stopping: the request is back to pending and resumes at the next start.</summary>
    Interrupted,
}

/// <summary>
/// Cuts one clip: claims the pending row (pending → processing), runs ffmpeg through
/// <see cref="FfmpegRunner"/> into a temp file, renames it into the clips folder, and records ready,
/// failed (with refund) or cancelled. Progress goes to the row and to the owner at most twice a second.
/// </summary>
public sealed class ClipWorker(
    IDbContextFactory<TerminalDbContext> dbFactory,
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

    public async Task<ClipRunOutcome> RunAsync(Guid requestId, CancellationToken jobToken)
    {
        // The app stopping (not only Quartz interrupting) stops ffmpeg and puts the request back to pending,
        // so a restart resumes it instead of the shutdown killing ffmpeg mid-write and failing it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(jobToken, lifetime.ApplicationStopping);
        var stopping = stop.Token;
        using var slot = await runner.AcquireEncodeSlotAsync(TimeSpan.FromSeconds(1), stopping);
        if (slot is null)
        {
            return ClipRunOutcome.Busy;
        }

        await using var db = await dbFactory.CreateDbContextAsync(stopping);
        var request = await db.ClipRequests.AsNoTracking().FirstOrDefaultAsync(c => c.Id == requestId, stopping);
        if (request is not { Status: ClipStatus.Pending })
        {
            return ClipRunOutcome.Done;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await db.ClipRequests
            .Where(c => c.Id == requestId && c.Status == ClipStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClipStatus.Processing).SetProperty(c => c.Progress, 0)
                .SetProperty(c => c.StartedAt, now).SetProperty(c => c.Worker, WorkerName).SetProperty(c => c.Attempts, c => c.Attempts + 1), stopping);
        if (claimed == 0)
        {
            return ClipRunOutcome.Done;
        }

        request.Status = ClipStatus.Processing;
        request.Attempts++;
        if (request.Attempts > options.Value.MaxAttempts)
        {
            await FailAsync(db, request, $"Gave up after {options.Value.MaxAttempts} attempts.");
            return ClipRunOutcome.Done;
        }

        await clipService.NotifyAsync(request, CancellationToken.None);
        using var registration = queue.Register(requestId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, registration.Token);
        var temp = Path.Combine(paths.ClipTempFolder, $"{requestId:N}.mp4");
        var final = Path.Combine(paths.ClipFolder, $"{requestId:N}.mp4");
        using var progress = new ProgressPump(dbFactory, clipService, request);
        try
        {
            var vod = await db.Vods.AsNoTracking().FirstAsync(v => v.Id == request.VodId, linked.Token);
            var input = await sources.ResolveAsync(vod, linked.Token);
            progress.Start();
            var result = await cutter.CutAsync(input, request.Mode, request.StartSeconds, request.DurationSeconds, temp, progress.Report, linked.Token);
            await progress.StopAsync();
            if (!result.Succeeded || !File.Exists(temp) || new FileInfo(temp).Length == 0)
            {
                throw new MediaException($"ffmpeg failed: {result.Result.Reason}");
            }

            File.Move(temp, final, overwrite: true);
            var done = time.GetUtcNow().UtcDateTime;
            var bytes = new FileInfo(final).Length;
            var expires = done.AddHours(options.Value.RetentionHours);
            var ready = await db.ClipRequests
                .Where(c => c.Id == requestId && c.Status == ClipStatus.Processing)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClipStatus.Ready).SetProperty(c => c.Progress, 100)
                    .SetProperty(c => c.OutputFile, Path.GetFileName(final)).SetProperty(c => c.OutputBytes, bytes)
                    .SetProperty(c => c.CompletedAt, done).SetProperty(c => c.ExpiresAt, expires).SetProperty(c => c.Error, (string?)null)
                    .SetProperty(c => c.Strategy, result.Strategy), CancellationToken.None);
            if (ready == 0)
            {
                File.Delete(final); // cancelled while finishing
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
            await db.ClipRequests.Where(c => c.Id == requestId && c.Status == ClipStatus.Processing)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClipStatus.Pending).SetProperty(c => c.Progress, 0).SetProperty(c => c.Worker, (string?)null), CancellationToken.None);
            logger.LogInformation("Clip {RequestId} interrupted by shutdown; it resumes at the next start", requestId);
            return ClipRunOutcome.Interrupted;
        }
        catch (MediaException e)
        {
            await FailAsync(db, request, e.Message);
            return ClipRunOutcome.Done;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbUpdateException or InvalidOperationException)
        {
            logger.LogError(e, "Clip {RequestId} failed", requestId);
            await FailAsync(db, request, "The clip could not be written; it has been logged.");
            return ClipRunOutcome.Done;
        }
        finally
        {
            await progress.StopAsync();
            TryDelete(temp);
        }
    }

    private async Task FailAsync(TerminalDbContext db, Core.Clips.ClipRequest request, string error)
    {
        logger.LogWarning("Clip {RequestId} failed: {Error}", request.Id, error);
        if (await clipService.FinishAsync(db, request, [ClipStatus.Processing, ClipStatus.Pending], ClipStatus.Failed, error, refund: true, CancellationToken.None))
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

    /// <summary>Carries ffmpeg's progress (reported on its reader thread) to the row and the owner on a timer.</summary>
    private sealed class ProgressPump(IDbContextFactory<TerminalDbContext> dbFactory, ClipService clips, Core.Clips.ClipRequest request) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private double _latest;
        private double _sent = -1;
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
                    if (percent <= _sent)
                    {
                        continue;
                    }

                    _sent = percent;
                    try
                    {
                        await using var db = await dbFactory.CreateDbContextAsync(_stop.Token);
                        await db.ClipRequests.Where(c => c.Id == request.Id && c.Status == ClipStatus.Processing)
                            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Progress, percent), _stop.Token);
                        request.Progress = percent;
                        await clips.NotifyAsync(request, _stop.Token);
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
