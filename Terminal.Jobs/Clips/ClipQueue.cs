using System.Collections.Concurrent;
using Quartz;

namespace Terminal.Jobs.Clips;

/// <summary>
/// Hands clip requests to Quartz (one job per request, keyed by its id, so enqueuing
/// twice is harmless; VOD probes have their own <see cref="Media.MediaPreparationQueue"/>) and signals running clip jobs to stop.
/// </summary>
public sealed class ClipQueue(ISchedulerFactory schedulers)
{
    public const string ClipGroup = "clips";
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public static JobKey ClipKey(Guid requestId) => new($"clip-{requestId:N}", ClipGroup);

    public async Task EnqueueClipAsync(Guid requestId, TimeSpan delay = default, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = ClipKey(requestId);
        var trigger = TriggerBuilder.Create().StartAt(DateTimeOffset.UtcNow + delay);
        if (await scheduler.Exists(key, cancellationToken))
        {
            await scheduler.ScheduleJob(trigger.ForJob(key).Build(), cancellationToken: cancellationToken);
            return;
        }

        var job = JobBuilder.Create<ExtractClipJob>().WithIdentity(key).UsingJobData(ExtractClipJob.RequestIdKey, requestId.ToString()).Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger.Build(), cancellationToken: cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Enqueued concurrently: it will run once.
        }
    }

    /// <summary>Drops a clip job that has not started.</summary>
    public async Task UnscheduleClipAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(ClipKey(requestId), cancellationToken);
    }

    /// <summary>Registers a running clip job; disposing the registration forgets it.</summary>
    internal Registration Register(Guid requestId)
    {
        var cts = new CancellationTokenSource();
        _running[requestId] = cts;
        return new Registration(this, requestId, cts);
    }

    /// <summary>Tells a running clip job to stop (its ffmpeg gets <c>q</c>, then a kill). False when it is not running here.</summary>
    public bool SignalCancel(Guid requestId)
    {
        if (_running.TryGetValue(requestId, out var cts))
        {
            cts.Cancel();
            return true;
        }

        return false;
    }

    internal sealed class Registration(ClipQueue queue, Guid requestId, CancellationTokenSource cts) : IDisposable
    {
        public CancellationToken Token => cts.Token;

        public bool CancelRequested => cts.IsCancellationRequested;

        public void Dispose()
        {
            queue._running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(requestId, cts));
            cts.Dispose();
        }
    }
}
