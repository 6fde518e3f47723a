using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Terminal.Jobs.Admin;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Admin;

namespace Terminal.Tests.Web.Features.Admin;

public sealed class AdminJobsPanelTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task ListsJobs_AndShowsARunAsSoonAsItIsRecorded()
    {
        _ = factory.Server; // start the app (and its scheduler)
        foreach (var type in new[] { typeof(AdminJobsService), typeof(JobRunHistory), typeof(TimeProvider) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var job = JobBuilder.Create<ProbeJob>().WithIdentity("panel-probe", "ui-tests").WithDescription("Panel probe").StoreDurably().Build();
        await scheduler.AddJob(job, AddJobOptions.Replacing);

        var panel = Render<AdminJobsPanel>();
        panel.WaitForAssertion(() => panel.Find("[data-table=jobs]").TextContent.Should().Contain("panel-probe").And.Contain("Panel probe"));

        await panel.Find("[data-action=trigger]").ClickAsync(new());
        panel.WaitForAssertion(() => panel.Find("[data-table=jobs]").TextContent.Should().Contain("succeeded"), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task APausedJob_ShowsPaused_NotAFireDueNow()
    {
        _ = factory.Server;
        foreach (var type in new[] { typeof(AdminJobsService), typeof(JobRunHistory), typeof(TimeProvider) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var job = JobBuilder.Create<ProbeJob>().WithIdentity("panel-paused", "ui-tests").StoreDurably().Build();
        var trigger = TriggerBuilder.Create().ForJob(job).WithIdentity("panel-paused-trigger", "ui-tests")
            .StartAt(DateTimeOffset.UtcNow.AddHours(1)).WithSimpleSchedule(x => x.WithInterval(TimeSpan.FromHours(1)).RepeatForever()).Build();
        await scheduler.AddJob(job, AddJobOptions.Replacing);
        await scheduler.UnscheduleJob(trigger.Key);
        await scheduler.ScheduleJob(trigger);
        await scheduler.PauseJob(job.Key);

        var panel = Render<AdminJobsPanel>();

        panel.WaitForAssertion(() =>
        {
            var row = panel.FindAll("[data-table=jobs] tr").Single(r => r.TextContent.Contains("panel-paused", StringComparison.Ordinal));
            row.QuerySelector("[data-field=next-fire]")!.TextContent.Trim().Should().Be("paused");
            row.QuerySelector("[data-field=state]")!.TextContent.Trim().Should().Be("paused");
        });
    }
}
