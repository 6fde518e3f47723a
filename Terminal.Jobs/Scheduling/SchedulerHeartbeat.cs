using Quartz;

namespace Terminal.Jobs.Scheduling;

/// <summary>When the <see cref="SchedulerHeartbeatJob"/> last ran on this node.</summary>
public sealed class SchedulerHeartbeat
{
    private long _lastBeatTicks;

    public DateTimeOffset? LastBeat => Interlocked.Read(ref _lastBeatTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public void Beat(DateTimeOffset at) => Interlocked.Exchange(ref _lastBeatTicks, at.UtcTicks);
}

/// <summary>
/// Fires every <see cref="SchedulerOptions.HeartbeatSeconds"/> and only records that it ran: when
/// every Quartz thread is taken (or the scheduler stopped firing), the beat goes stale and
/// <see cref="SchedulerHealthCheck"/> reports <c>degraded</c>.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SchedulerHeartbeatJob(SchedulerHeartbeat heartbeat, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("scheduler-heartbeat", "system");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        heartbeat.Beat(time.GetUtcNow());
        return ValueTask.CompletedTask;
    }
}
