using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Billing;

namespace Terminal.Tests.Web.Features.Cluster;

/// <summary>
/// Two nodes (two in-process apps) on one database and one Redis: a key revoked, or its owner's plan
/// changed, on node A takes effect on node B at once, although B had recognised (and cached, for 15 s)
/// the key a moment before.
/// </summary>
public sealed class ApiKeyCacheAcrossNodesTests : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly TerminalWebFactory _nodeA = new();
    private readonly TerminalWebFactory _nodeB = new();

    public ApiKeyCacheAcrossNodesTests(RedisServer redis)
    {
        _nodeA.Settings["Terminal:Redis"] = redis.Configuration;
        _nodeB.Settings["Terminal:Redis"] = redis.Configuration;
        _nodeB.Settings["Terminal:DataDirectory"] = _nodeA.DataDirectory;
    }

    public sealed record CreatedKeyDto(Guid Id, string Key);

    [Fact]
    public async Task Revoke_OnNodeA_RejectsTheKeyOnNodeB_WellWithinTheCacheLifetime()
    {
        var user = await _nodeA.CreateUserClientAsync();
        var created = (await (await user.Http.PostAsJsonAsync("/api/keys", new { name = "bot" })).Content.ReadFromJsonAsync<CreatedKeyDto>())!;
        var onB = _nodeB.CreateApiClient();
        onB.DefaultRequestHeaders.Add("X-Api-Key", created.Key);
        (await onB.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK, "node B recognises (and caches) the key");

        (await user.Http.DeleteAsync($"/api/keys/{created.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        // Pub/sub delivery is asynchronous; 3 s is far inside the 15 s a cached recognition would otherwise live.
        await Wait.UntilAsync(
            async () => (await onB.GetAsync("/ext-api/v1/vods")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(3),
            "node B refuses the key revoked on node A");
    }

    [Fact]
    public async Task PlanChange_OnNodeA_AppliesTheNewRateLimitOnNodeB_WellWithinTheCacheLifetime()
    {
        var user = await _nodeA.CreateUserClientAsync();
        var created = (await (await user.Http.PostAsJsonAsync("/api/keys", new { name = "bot" })).Content.ReadFromJsonAsync<CreatedKeyDto>())!;
        var onB = _nodeB.CreateApiClient();
        onB.DefaultRequestHeaders.Add("X-Api-Key", created.Key);
        (await LimitAsync(onB)).Should().Be(60, "a Free account, recognised (and cached) on node B");

        await _nodeA.Services.GetRequiredService<BillingService>().SetPlanAsync(user.UserId, "pro");

        await Wait.UntilAsync(async () => await LimitAsync(onB) == 600, TimeSpan.FromSeconds(3), "node B applies the Pro limit set on node A");
    }

    private static async Task<int> LimitAsync(HttpClient client)
    {
        var response = await client.GetAsync("/ext-api/v1/vods");
        response.EnsureSuccessStatusCode();
        return int.Parse(response.Headers.GetValues("X-RateLimit-Limit").Single());
    }

    public Task InitializeAsync()
    {
        // Node A migrates the shared database first; node B then starts on it.
        _ = _nodeA.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
    }
}
