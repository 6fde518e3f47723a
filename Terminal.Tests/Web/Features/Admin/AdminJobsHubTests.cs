using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Admin;

public sealed class AdminJobsHubTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    private HubConnection Connect(string token) => factory.ConnectMarketHub(token);

    [Fact]
    public async Task JobRuns_ArePushedToAdmins_NotToOtherUsers()
    {
        var admin = await factory.AdminClientAsync();
        var user = await factory.CreateUserClientAsync();
        await using var adminHub = Connect(admin.AccessToken);
        await using var userHub = Connect(user.AccessToken);
        var adminRuns = new ConcurrentQueue<JsonElement>();
        var userRuns = new ConcurrentQueue<JsonElement>();
        adminHub.On<JsonElement>("JobRun", run => adminRuns.Enqueue(run));
        userHub.On<JsonElement>("JobRun", run => userRuns.Enqueue(run));
        await adminHub.StartAsync();
        await userHub.StartAsync();

        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.AddJob(JobBuilder.Create<ProbeJob>().WithIdentity("hub-probe", "hub-tests").StoreDurably().Build(), AddJobOptions.Replacing);
        (await admin.Http.PostAsync("/api/admin/jobs/hub-tests/hub-probe/trigger", null)).EnsureSuccessStatusCode();

        await Wait.UntilAsync(() => adminRuns.Any(r => r.GetProperty("key").GetString() == "hub-probe"), TimeSpan.FromSeconds(15), "the admin hears the run");
        var run = adminRuns.First(r => r.GetProperty("key").GetString() == "hub-probe");
        run.GetProperty("group").GetString().Should().Be("hub-tests");
        run.GetProperty("result").GetString().Should().Be("succeeded");
        userRuns.Should().NotContain(r => r.GetProperty("key").GetString() == "hub-probe");
    }
}
