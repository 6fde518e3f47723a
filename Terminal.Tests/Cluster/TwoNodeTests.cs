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

/// <summary>Node A dies (killed, no graceful stop): node B keeps serving and running jobs.</summary>
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

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public async Task DisposeAsync()
    {
        _cluster.WriteLogs(output);
        await _cluster.DisposeAsync();
    }
}
