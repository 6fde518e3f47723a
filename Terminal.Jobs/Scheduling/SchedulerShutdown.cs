using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Terminal.Jobs.Scheduling;

/// <summary>
/// Stops every Quartz scheduler of this node within the host's shutdown timeout, before any other service stops.
/// </summary>
/// <remarks>
/// Quartz's own hosted service, told to wait for running jobs, waits without a bound: one job that never ends (a
/// request to a server that stopped answering, a wait that does not watch its token) would hold the process — and a
/// test host — for ever. Here, at <see cref="StoppingAsync"/> (which the host runs before every service's
/// <c>StopAsync</c>, so jobs still find the services they use): no new firings; running jobs get
/// <see cref="SchedulerOptions.ShutdownGraceSeconds"/> to finish; those still running are interrupted (their token
/// fires: a clip goes back to pending, a poll stops); whatever still runs when the host's shutdown timeout ends is
/// named in the log and left behind (a clustered store hands its trigger to another node). The schedulers are then
/// shut down without waiting, so Quartz's hosted service finds them done.
/// </remarks>
public sealed partial class SchedulerShutdown(ISchedulerFactory factory, IOptions<SchedulerOptions> options, ILogger<SchedulerShutdown> logger)
    : IHostedLifecycleService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // This app's own schedulers (not the process-wide list: test hosts share a process).
        List<IScheduler> schedulers = [await factory.GetScheduler(CancellationToken.None)];
        if (options.Value.IsClustered)
        {
            schedulers.Add(await NodeScheduler.GetAsync(factory, clustered: true, CancellationToken.None));
        }

        schedulers.RemoveAll(s => s.Status is SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown);
        if (schedulers.Count == 0)
        {
            return;
        }

        foreach (var scheduler in schedulers)
        {
            await scheduler.Standby(CancellationToken.None);
        }

        var grace = TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds);
        if (!await AllDoneAsync(schedulers, grace, cancellationToken))
        {
            foreach (var (scheduler, firing) in await RunningAsync(schedulers))
            {
                LogInterrupting(logger, firing.JobKey?.ToString() ?? firing.FireInstanceId, scheduler.SchedulerName, grace.TotalSeconds);
                await scheduler.InterruptFireInstance(firing.FireInstanceId, CancellationToken.None);
            }

            if (!await AllDoneAsync(schedulers, Timeout.InfiniteTimeSpan, cancellationToken))
            {
                foreach (var (scheduler, firing) in await RunningAsync(schedulers))
                {
                    LogAbandoning(logger, firing.JobKey?.ToString() ?? firing.FireInstanceId, scheduler.SchedulerName);
                }
            }
        }

        foreach (var scheduler in schedulers)
        {
            await scheduler.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
        }
    }

    /// <summary>Waits until no job runs on any of the schedulers, for at most <paramref name="limit"/> and until the host's timeout.</summary>
    private async Task<bool> AllDoneAsync(IReadOnlyList<IScheduler> schedulers, TimeSpan limit, CancellationToken hostTimeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew(); // wall time, whatever clock the app's TimeProvider keeps
        while (true)
        {
            if ((await RunningAsync(schedulers)).Count == 0)
            {
                return true;
            }

            if (hostTimeout.IsCancellationRequested || (limit != Timeout.InfiniteTimeSpan && started.Elapsed >= limit))
            {
                return false;
            }

            try
            {
                await Task.Delay(Poll, hostTimeout);
            }
            catch (OperationCanceledException)
            {
                // the host's shutdown timeout ended: one last look above
            }
        }
    }

    /// <summary>This node's firings that are executing, with their scheduler (a clustered store lists every node's: only ours).</summary>
    private static async Task<List<(IScheduler Scheduler, FireInstance Firing)>> RunningAsync(IReadOnlyList<IScheduler> schedulers)
    {
        var running = new List<(IScheduler, FireInstance)>();
        foreach (var scheduler in schedulers)
        {
            var firings = await scheduler.QueryFireInstances(
                new FireInstanceQuery { SchedulerInstanceId = scheduler.SchedulerInstanceId, State = FireInstanceState.Executing, Take = 1000 },
                CancellationToken.None);
            running.AddRange(firings.Items.Select(f => (scheduler, f)));
        }

        return running;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: job {Job} on scheduler {Scheduler} still runs after {Grace} s; interrupting it")]
    private static partial void LogInterrupting(ILogger logger, string job, string scheduler, double grace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown: job {Job} on scheduler {Scheduler} did not end within the host's shutdown timeout; the process stops without it")]
    private static partial void LogAbandoning(ILogger logger, string job, string scheduler);
}
