using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;
using Terminal.Jobs.Scheduling;

namespace Terminal.Tests.Jobs.Scheduling;

/// <summary>
/// A node joining a clustered store leaves a stored trigger with the same schedule as it is (replacing it would drop the
/// reservation another node holds on its next firing, and both nodes would fire it), replaces one whose schedule
/// changed, adds a missing one, and takes a per-node job off the cluster's store.
/// </summary>
public sealed class ClusteredScheduleSyncTests : IAsyncLifetime
{
    private static readonly JobKey Job = new("work", "test");
    private static readonly TriggerKey Trigger = new("work-trigger", "test");
    private IHost _host = null!;
    private IScheduler _scheduler = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddQuartz(q =>
        {
            q.UseInMemoryStore(_ => { });
            q.AddJob<NothingJob>(j => j.WithIdentity(Job).StoreDurably());
        });
        _host = builder.Build();
        _scheduler = await _host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
    }

    public async Task DisposeAsync()
    {
        await _scheduler.Shutdown(false);
        _host.Dispose();
    }

    [Fact]
    public async Task AStoredTriggerWithTheSameSchedule_IsLeftAsStored()
    {
        var stored = Every(TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow.AddHours(1));
        await _scheduler.ScheduleJob(stored, new ScheduleJobOptions());
        var before = await _scheduler.GetTrigger(Trigger);

        // Another node declares the same schedule from its own start.
        var changed = await ClusteredScheduleSync.SyncAsync(_scheduler, [Every(TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow.AddHours(2))], NullLogger.Instance, default);

        changed.Should().BeEmpty();
        var after = await _scheduler.GetTrigger(Trigger);
        after!.StartTimeUtc.Should().Be(before!.StartTimeUtc, "the stored trigger was not replaced");
        after.NextFireTimeUtc.Should().Be(before.NextFireTimeUtc);
    }

    [Fact]
    public async Task AChangedInterval_ReplacesTheStoredTrigger()
    {
        await _scheduler.ScheduleJob(Every(TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow.AddHours(1)), new ScheduleJobOptions());

        var changed = await ClusteredScheduleSync.SyncAsync(_scheduler, [Every(TimeSpan.FromSeconds(7), DateTimeOffset.UtcNow.AddHours(1))], NullLogger.Instance, default);

        changed.Should().Equal(Trigger);
        ((ISimpleTrigger)(await _scheduler.GetTrigger(Trigger))!).RepeatInterval.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task AMissingTrigger_IsAdded()
    {
        var changed = await ClusteredScheduleSync.SyncAsync(_scheduler, [Every(TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow.AddHours(1))], NullLogger.Instance, default);

        changed.Should().Equal(Trigger);
        (await _scheduler.GetTrigger(Trigger)).Should().NotBeNull();
    }

    [Fact]
    public async Task AJobThatRunsPerNode_IsTakenOffTheClusteredStore()
    {
        // Stored on the cluster (the Job above, as an earlier release stored it); now declared on the per-node scheduler.
        var perNode = new StandingTrigger(t => t.ForJob(Job).WithIdentity(Trigger).StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(1)).RepeatForever()), PerNode: true);
        var sync = new ClusteredScheduleSync(_host.Services.GetRequiredService<ISchedulerFactory>(), [perNode], NullLogger<ClusteredScheduleSync>.Instance);

        await sync.StartAsync(default);

        (await _scheduler.GetJobDetail(Job)).Should().BeNull();
    }

    [Fact]
    public void SameSchedule_ComparesTheSchedule_NotTheStart()
    {
        var at = DateTimeOffset.UtcNow;
        ClusteredScheduleSync.SameSchedule(Every(TimeSpan.FromSeconds(5), at), Every(TimeSpan.FromSeconds(5), at.AddMinutes(3))).Should().BeTrue();
        ClusteredScheduleSync.SameSchedule(Every(TimeSpan.FromSeconds(5), at), Every(TimeSpan.FromSeconds(6), at)).Should().BeFalse();
        var cron = TriggerBuilder.Create().ForJob(Job).WithIdentity(Trigger).WithCronSchedule("0 0 * * * ?").Build();
        ClusteredScheduleSync.SameSchedule(Every(TimeSpan.FromSeconds(5), at), cron).Should().BeFalse();
        ClusteredScheduleSync.SameSchedule(cron, TriggerBuilder.Create().ForJob(Job).WithIdentity(Trigger).WithCronSchedule("0 0 * * * ?").Build()).Should().BeTrue();
    }

    private static ITrigger Every(TimeSpan interval, DateTimeOffset start) =>
        TriggerBuilder.Create().ForJob(Job).WithIdentity(Trigger).StartAt(start).WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()).Build();

    public sealed class NothingJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
