using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Admin;

/// <summary>A job for the scheduler tests: fails when its data says so.</summary>
public sealed class ProbeJob : IJob
{
    private static int _runs;

    public static int Runs => _runs;

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        if (context.MergedJobDataMap.ContainsKey("fail"))
        {
            throw new InvalidOperationException("probe failed on purpose");
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class AdminApiTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    private static readonly string[] AdminGets = ["/api/admin/jobs", "/api/admin/users"];

    private static readonly string[] AdminPosts =
    [
        "/api/admin/jobs/tests/anything/trigger", "/api/admin/jobs/tests/anything/pause", "/api/admin/jobs/tests/anything/resume",
    ];

    private Task<AuthenticatedClient> AdminAsync() => factory.AdminClientAsync();

    [Fact]
    public async Task EveryAdminEndpoint_ForNonAdmin_Returns403_AndAnonymous401()
    {
        var user = await factory.CreateUserClientAsync();
        var anonymous = factory.CreateApiClient();
        foreach (var path in AdminGets)
        {
            await (await user.Http.GetAsync(path)).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden);
            await (await anonymous.GetAsync(path)).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
        }

        foreach (var path in AdminPosts)
        {
            await (await user.Http.PostAsync(path, null)).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden);
            await (await anonymous.PostAsync(path, null)).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
        }

        var planPath = $"/api/admin/users/{user.UserId}/plan";
        await (await user.Http.PutAsJsonAsync(planPath, new { plan = "enterprise" })).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden);
        await (await user.Http.PostAsJsonAsync(planPath, new { plan = "enterprise" })).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden);
        await (await anonymous.PutAsJsonAsync(planPath, new { plan = "enterprise" })).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
        (await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Plan.Should().Be("free");
    }

    [Fact]
    public async Task Jobs_ListsScheduledJobs_AndTriggerRecordsResultAndDuration()
    {
        var admin = await AdminAsync();
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var job = JobBuilder.Create<ProbeJob>().WithIdentity("probe-ok", "tests").WithDescription("Probe job").StoreDurably().Build();
        var trigger = TriggerBuilder.Create().WithIdentity("probe-ok-trigger", "tests").ForJob(job)
            .StartAt(DateTimeOffset.UtcNow.AddHours(1)).WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()).Build();
        await scheduler.ScheduleJob(job, trigger);

        var listed = await JobAsync(admin, "tests", "probe-ok");
        listed.GetProperty("description").GetString().Should().Be("Probe job");
        listed.GetProperty("trigger").GetString().Should().Be("every 1h");
        listed.GetProperty("nextFire").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromMinutes(1));
        listed.GetProperty("lastResult").ValueKind.Should().Be(JsonValueKind.Null);
        listed.GetProperty("previousFire").ValueKind.Should().Be(JsonValueKind.Null);

        (await admin.Http.PostAsync("/api/admin/jobs/tests/probe-ok/trigger", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await Wait.UntilAsync(async () => (await JobAsync(admin, "tests", "probe-ok")).GetProperty("lastResult").ValueKind != JsonValueKind.Null,
            TimeSpan.FromSeconds(15), "the triggered run is recorded");
        var after = await JobAsync(admin, "tests", "probe-ok");
        after.GetProperty("lastResult").GetString().Should().Be("succeeded");
        after.GetProperty("lastDurationMs").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        after.GetProperty("previousFire").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), "run-now is a fire");
    }

    [Fact]
    public async Task FailingJob_ShowsItsError()
    {
        var admin = await AdminAsync();
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var job = JobBuilder.Create<ProbeJob>().WithIdentity("probe-fail", "tests").UsingJobData("fail", "yes").StoreDurably().Build();
        await scheduler.AddJob(job, AddJobOptions.Replacing);

        (await admin.Http.PostAsync("/api/admin/jobs/tests/probe-fail/trigger", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await Wait.UntilAsync(async () => (await JobAsync(admin, "tests", "probe-fail")).GetProperty("lastResult").ValueKind != JsonValueKind.Null,
            TimeSpan.FromSeconds(15), "the failed run is recorded");
        (await JobAsync(admin, "tests", "probe-fail")).GetProperty("lastResult").GetString().Should().Contain("probe failed on purpose");
    }

    [Fact]
    public async Task PauseAndResume_ChangeTheJobState()
    {
        var admin = await AdminAsync();
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var job = JobBuilder.Create<ProbeJob>().WithIdentity("probe-pause", "tests").StoreDurably().Build();
        var trigger = TriggerBuilder.Create().WithIdentity("probe-pause-trigger", "tests").ForJob(job)
            .StartAt(DateTimeOffset.UtcNow.AddHours(2)).WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(2)).RepeatForever()).Build();
        await scheduler.ScheduleJob(job, trigger);

        (await admin.Http.PostAsync("/api/admin/jobs/tests/probe-pause/pause", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var paused = await JobAsync(admin, "tests", "probe-pause");
        paused.GetProperty("state").GetString().Should().Be("paused");
        paused.GetProperty("nextFire").ValueKind.Should().Be(JsonValueKind.Null, "a paused job has no next fire (it read \"in 0s\")");
        (await admin.Http.PostAsync("/api/admin/jobs/tests/probe-pause/resume", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var resumed = await JobAsync(admin, "tests", "probe-pause");
        resumed.GetProperty("state").GetString().Should().Be("scheduled");
        resumed.GetProperty("nextFire").ValueKind.Should().NotBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task UnknownJob_Returns404()
    {
        var admin = await AdminAsync();
        await (await admin.Http.PostAsync("/api/admin/jobs/nope/missing/trigger", null)).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "job_not_found");
    }

    [Fact]
    public async Task Users_ListsPlanAndCredits_AndAdminChangesPlan()
    {
        var admin = await AdminAsync();
        var user = await factory.CreateUserClientAsync();

        var users = await admin.Http.GetFromJsonAsync<JsonElement[]>("/api/admin/users");
        var row = users!.Single(u => u.GetProperty("id").GetString() == user.UserId);
        row.GetProperty("email").GetString().Should().Be(user.Email);
        row.GetProperty("plan").GetString().Should().Be("free");
        row.GetProperty("credits").GetInt32().Should().Be(20);
        users!.Single(u => u.GetProperty("email").GetString() == "admin@test.local").GetProperty("isAdmin").GetBoolean().Should().BeTrue();

        var change = await admin.Http.PutAsJsonAsync($"/api/admin/users/{user.UserId}/plan", new { plan = "Pro" });
        change.StatusCode.Should().Be(HttpStatusCode.OK);
        var changed = await change.Content.ReadFromJsonAsync<JsonElement>();
        changed.GetProperty("plan").GetString().Should().Be("pro");
        changed.GetProperty("credits").GetInt32().Should().Be(20 + 500, "a paid plan set by an admin grants its monthly credits");

        // Setting it again in the same month grants nothing more; going back to free keeps the ledger.
        await admin.Http.PostAsJsonAsync($"/api/admin/users/{user.UserId}/plan", new { plan = "pro" });
        var back = await (await admin.Http.PostAsJsonAsync($"/api/admin/users/{user.UserId}/plan", new { plan = "free" })).Content.ReadFromJsonAsync<JsonElement>();
        back.GetProperty("plan").GetString().Should().Be("free");
        back.GetProperty("credits").GetInt32().Should().Be(520);
        (await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Plan.Should().Be("free");
    }

    [Fact]
    public async Task SetPlan_WithUnknownPlanOrUser_Returns400Or404()
    {
        var admin = await AdminAsync();
        var user = await factory.CreateUserClientAsync();
        await (await admin.Http.PutAsJsonAsync($"/api/admin/users/{user.UserId}/plan", new { plan = "platinum" })).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_plan");
        await (await admin.Http.PutAsJsonAsync("/api/admin/users/no-such-user/plan", new { plan = "pro" })).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "user_not_found");
    }

    private static async Task<JsonElement> JobAsync(AuthenticatedClient admin, string group, string key)
    {
        var jobs = await admin.Http.GetFromJsonAsync<JsonElement[]>("/api/admin/jobs");
        return jobs!.Single(j => j.GetProperty("group").GetString() == group && j.GetProperty("key").GetString() == key);
    }
}
