using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Health;

/// <summary>Issue 11: <c>/health</c> degrades when the scheduler stops making progress (every thread held), and recovers.</summary>
public sealed class SchedulerHealthTests(SchedulerHealthTests.Factory factory) : IClassFixture<SchedulerHealthTests.Factory>
{
    public sealed class Factory : TerminalWebFactory
    {
        public Factory()
        {
            Settings["Terminal:Scheduler:MaxConcurrency"] = "1";
            Settings["Terminal:Scheduler:HeartbeatSeconds"] = "1";
            Settings["Terminal:Scheduler:StallSeconds"] = "3";
        }
    }

    /// <summary>Holds the scheduler's only thread until released.</summary>
    public sealed class HoggingJob : IJob
    {
        public static readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await Release.Task;
    }

    private sealed record HealthDto(string Status);

    private async Task<(HttpStatusCode Code, string Status)> HealthAsync()
    {
        var response = await factory.CreateApiClient().GetAsync("/health");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<HealthDto>())!.Status);
    }

    [Fact]
    public async Task EveryThreadHeld_DegradesHealth_AndItRecoversWhenReleased()
    {
        await Wait.UntilAsync(async () => (await HealthAsync()).Status == "healthy", TimeSpan.FromSeconds(60), "the app is healthy");

        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.ScheduleJob(JobBuilder.Create<HoggingJob>().WithIdentity("hog").Build(), TriggerBuilder.Create().StartNow().Build());
        try
        {
            await Wait.UntilAsync(async () => (await HealthAsync()).Status == "degraded", TimeSpan.FromSeconds(20), "health reports the stalled scheduler");
            (await HealthAsync()).Code.Should().Be(HttpStatusCode.OK, "degraded still serves (503 is for an unusable scheduler)");
        }
        finally
        {
            HoggingJob.Release.TrySetResult();
        }

        await Wait.UntilAsync(async () => (await HealthAsync()).Status == "healthy", TimeSpan.FromSeconds(20), "the heartbeat resumes");
    }
}
