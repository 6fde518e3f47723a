using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Terminal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Terminal.Tests.Cluster;

/// <summary>Serialises the two-process test classes: each starts two app processes of its own.</summary>
[CollectionDefinition(Name)]
public sealed class TwoNodeCollection
{
    public const string Name = "two real nodes";
}

/// <summary>
/// Two real app processes on one database, one key ring and one Redis (<see cref="TwoNodeCluster"/>): what one node issues or starts, the other honours and shows.
/// </summary>
[Collection(TwoNodeCollection.Name)]
public sealed class TwoNodeTests(TwoNodeCluster cluster, ITestOutputHelper output) : IClassFixture<TwoNodeCluster>, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TwoNodeCluster _cluster = cluster;

    [Fact]
    public async Task CookieIssuedByNodeA_SignsTheUserInOnNodeB()
    {
        var cookies = new CookieContainer();
        using var onA = _cluster.A.CreateClient(cookies);
        var email = $"cookie-{Guid.NewGuid():N}@test.local";
        (await onA.PostAsJsonAsync("/api/auth/register", new { email, password = "Passw0rd!x" })).StatusCode.Should().Be(HttpStatusCode.Created);
        using var login = await LoginForm.PostAsync(onA, email, "Passw0rd!x");
        login.StatusCode.Should().Be(HttpStatusCode.Redirect, "node A signs the user in with a cookie");

        // The same cookie jar, sent to node B (cookies are not bound to a port).
        using var onB = _cluster.B.CreateClient(cookies);
        var user = await onB.GetAsync("/api/auth/user");

        user.StatusCode.Should().Be(HttpStatusCode.OK, "node B unprotects node A's cookie with the shared key ring");
        (await user.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString().Should().Be(email);
    }

    [Fact]
    public async Task ReportQueuedOnNodeA_IsReadyAndDownloadableOnNodeB()
    {
        using var onA = await SignedInAsync(_cluster.A);
        using var onB = _cluster.B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = onA.DefaultRequestHeaders.Authorization;

        var created = await onA.PostAsJsonAsync("/api/reports", new { kind = "market", period = "7d" });
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await Wait.UntilAsync(async () =>
        {
            var row = (await onB.GetFromJsonAsync<JsonElement>("/api/reports")).EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
            row.GetProperty("status").GetString().Should().NotBe("failed", row.ToString());
            return row.GetProperty("status").GetString() == "ready" && row.GetProperty("progress").GetInt32() == 100;
        }, Deadline, "node B lists the report queued on node A as ready");
        (await onB.GetAsync($"/api/reports/{id}/download")).StatusCode.Should().Be(HttpStatusCode.OK, "its PDF is served by node B");

    }

    [Fact]
    public async Task ApiKeyRevokedOnNodeA_IsRefusedByNodeB_AtOnce()
    {
        using var onA = await SignedInAsync(_cluster.A);
        var created = await (await onA.PostAsJsonAsync("/api/keys", new { name = "bot" })).Content.ReadFromJsonAsync<JsonElement>();
        using var onB = _cluster.B.CreateClient();
        onB.DefaultRequestHeaders.Add("X-Api-Key", created.GetProperty("key").GetString());
        (await onB.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK, "node B recognises (and caches for 15 s) the key");

        (await onA.DeleteAsync($"/api/keys/{created.GetProperty("id").GetString()}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        // The eviction crosses Redis pub/sub; 3 s is far inside the 15 s the cached recognition would live.
        await Wait.UntilAsync(
            async () => (await onB.GetAsync("/ext-api/v1/vods")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(3),
            "node B refuses the key revoked on node A");
    }

    [Fact]
    public async Task ClusteredTrigger_FiresOncePerFiring_AcrossBothNodes()
    {
        var job = Terminal.Jobs.LinkedAccounts.LinkedAccountMaintenanceJob.Key;
        (await _cluster.CheckedInAsync()).Keys.Should().Contain(["node-a", "node-b"], "both nodes run the clustered store on scheduler.db");
        // Counted from the moment B joined: B's start keeps the trigger A stored (ClusteredScheduleSync). Replacing it
        // dropped the reservation A held on its next firing, and both nodes then fired every slot for several rounds.
        var since = _cluster.B.ServingSince;

        // The maintenance trigger repeats every 5 s on the shared store: wait for several firings.
        IReadOnlyList<TwoNodeCluster.Execution> runs = [];
        await Wait.UntilAsync(async () =>
        {
            runs = (await _cluster.ExecutionsAsync(job)).Where(r => r.FiredAt >= since && r.Trigger == "linked-accounts-maintenance-trigger").ToList();
            return runs.Count >= 4;
        }, TimeSpan.FromSeconds(60), "the clustered schedule fires four times");

        output.WriteLine(string.Join('\n', runs.Select(r => $"{r.FiredAt:HH:mm:ss.fff} {r.Instance} {r.FireInstanceId}")));
        runs.Select(r => r.FireInstanceId).Should().OnlyHaveUniqueItems();
        runs.Select(r => r.Instance).Should().OnlyContain(i => i == "node-a" || i == "node-b");

        // One run per firing: two schedulers each firing the trigger would record two runs per scheduled slot. Counted over
        // every run since the window began, not between neighbours: on a loaded machine a scheduler that was held up fires
        // the slots it missed one after the other (runs well under 5 s apart), but never more runs than slots.
        var all = (await _cluster.ExecutionsAsync(job)).Where(r => r.Trigger == "linked-accounts-maintenance-trigger" && r.FiredAt >= since).ToList();
        output.WriteLine("all runs:\n" + string.Join('\n', all.Select(r => $"{r.FiredAt:HH:mm:ss.fff} {r.Instance} {r.FireInstanceId}")));
        var span = all[^1].FiredAt - all[0].FiredAt;
        var slots = (int)Math.Floor((span.TotalSeconds + 0.5) / TwoNodeCluster.MaintenanceSeconds) + 1;
        all.Count.Should().BeLessThanOrEqualTo(slots,
            "each firing of the trigger runs on one node only: {0} runs over {1:0.0} s of a {2} s schedule", all.Count, span.TotalSeconds, TwoNodeCluster.MaintenanceSeconds);
        (await _cluster.CheckedInAsync()).Keys.Should().Contain(["node-a", "node-b"], "both nodes stayed in the cluster meanwhile");
    }

    [Fact]
    public async Task PerNodeScheduler_RunsHeartbeatAndInsightsRefresh_OnEachNode_AndAdminListsThem()
    {
        var email = $"admin-{Guid.NewGuid():N}@test.local";
        using (var register = _cluster.A.CreateClient())
        {
            (await register.PostAsJsonAsync("/api/auth/register", new { email, password = "Passw0rd!x" })).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        await _cluster.GrantAdminAsync(email);
        foreach (var node in new[] { _cluster.A, _cluster.B })
        {
            using var client = node.CreateClient();
            var token = await TerminalWebFactory.LoginAsync(client, email, "Passw0rd!x");
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            JsonElement heartbeat = default, insights = default;
            List<JsonElement> jobs = [];
            await Wait.UntilAsync(async () =>
            {
                jobs = (await client.GetFromJsonAsync<JsonElement>("/api/admin/jobs")).EnumerateArray().ToList();
                heartbeat = jobs.SingleOrDefault(j => j.GetProperty("key").GetString() == "scheduler-heartbeat");
                insights = jobs.SingleOrDefault(j => j.GetProperty("key").GetString() == "insights-refresh");
                return Fired(heartbeat) && Fired(insights) && heartbeat.TryGetProperty("lastResult", out var last) && last.ValueKind == JsonValueKind.String;
            }, TimeSpan.FromSeconds(30), $"{node.Name}'s ADMIN job list shows scheduler-heartbeat (with its last result: the run history is the node's own) and insights-refresh fired on that node");

            foreach (var key in new[] { "scheduler-heartbeat", "insights-refresh" })
            {
                jobs.Single(j => j.GetProperty("key").GetString() == key).GetProperty("scope").GetString().Should().Be("node", $"{key} fires on each node");
            }

            jobs.Single(j => j.GetProperty("key").GetString() == "linked-accounts-maintenance").GetProperty("scope").GetString().Should().Be("cluster");

            var health = await client.GetFromJsonAsync<JsonElement>("/health");
            var scheduler = health.GetProperty("checks").EnumerateObject().Single(c => c.Value.TryGetProperty("data", out var d) && d.TryGetProperty("nodeScheduler", out _)).Value;
            scheduler.GetProperty("status").GetString().Should().Be("healthy", scheduler.ToString());
            scheduler.GetProperty("data").GetProperty("nodeScheduler").GetString().Should().Be("Running");
            scheduler.GetProperty("data").GetProperty("lastHeartbeatAt").GetString().Should().NotBeNullOrEmpty($"{node.Name} beats on its own scheduler");
        }

        static bool Fired(JsonElement job) =>
            job.ValueKind == JsonValueKind.Object && job.TryGetProperty("previousFire", out var at) && at.ValueKind == JsonValueKind.String;
    }

    internal static async Task<HttpClient> SignedInAsync(TwoNodeCluster.Node node)
    {
        var client = node.CreateClient();
        var email = $"user-{Guid.NewGuid():N}@test.local";
        (await client.PostAsJsonAsync("/api/auth/register", new { email, password = "Passw0rd!x" })).EnsureSuccessStatusCode();
        var token = await TerminalWebFactory.LoginAsync(client, email, "Passw0rd!x");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public void Dispose() => _cluster.WriteLogs(output, lines: 60);
}

/// <summary>Node A dies (killed, no graceful stop): node B keeps serving, running jobs and firing the cluster's schedule.</summary>
[Collection(TwoNodeCollection.Name)]
public sealed class NodeFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TwoNodeCluster _cluster = new();

    [Fact]
    public async Task KillingNodeA_LeavesNodeBServing_AndRunningJobs()
    {
        using var onB = await TwoNodeTests.SignedInAsync(_cluster.B);

        _cluster.A.Kill();
        _cluster.A.IsRunning.Should().BeFalse();

        (await onB.GetAsync("/api/auth/user")).StatusCode.Should().Be(HttpStatusCode.OK, "node B keeps serving");
        var created = await onB.PostAsJsonAsync("/api/reports", new { kind = "market", period = "7d" });
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Wait.UntilAsync(async () =>
        {
            var row = (await onB.GetFromJsonAsync<JsonElement>("/api/reports")).EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
            return row.GetProperty("status").GetString() == "ready";
        }, TimeSpan.FromSeconds(30), "node B runs the report job after node A died");
    }

    [Fact]
    public async Task AfterNodeAIsKilled_NodeBRecoversItsState_AndFiresTheSchedule()
    {
        var job = Terminal.Jobs.LinkedAccounts.LinkedAccountMaintenanceJob.Key;
        (await _cluster.CheckedInAsync()).Keys.Should().Contain(["node-a", "node-b"]);

        // Let node A take part (acquire or run a firing) before it dies, when the schedule allows.
        await Wait.UntilAsync(async () => (await _cluster.ExecutionsAsync(job)).Any(r => r.Instance == "node-a") || (await _cluster.FiredTriggerOwnersAsync()).Contains("node-a"),
            TimeSpan.FromSeconds(30), "node A fires the clustered schedule at least once");
        _cluster.A.Kill();
        var killedAt = DateTimeOffset.UtcNow;

        // Past the check-in interval node B declares node A failed: its state row and fired triggers go.
        await Wait.UntilAsync(async () => !(await _cluster.CheckedInAsync()).ContainsKey("node-a") && !(await _cluster.FiredTriggerOwnersAsync()).Contains("node-a"),
            TimeSpan.FromSeconds(30), "node B recovers node A's state from the clustered store");
        await Wait.UntilAsync(async () => (await _cluster.ExecutionsAsync(job)).Count(r => r.Instance == "node-b" && r.FiredAt > killedAt) >= 2,
            TimeSpan.FromSeconds(40), "node B fires the cluster's schedule after node A died");

        using var onB = _cluster.B.CreateClient();
        var health = await onB.GetFromJsonAsync<JsonElement>("/health");
        health.GetProperty("status").GetString().Should().Be("healthy", "node B stays healthy without node A");
    }

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public async Task DisposeAsync()
    {
        _cluster.WriteLogs(output);
        await _cluster.DisposeAsync();
    }
}
