using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Cluster;

/// <summary>
/// The external API's per-minute budget is the user's, whichever node answers (SPEC §4): with Redis, two nodes grant
/// the plan's requests once between them, across all of the user's keys.
/// </summary>
public sealed class ApiBudgetAcrossNodesTests : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const int Limit = 6;
    private readonly TerminalWebFactory _nodeA = new();
    private readonly TerminalWebFactory _nodeB = new();

    public ApiBudgetAcrossNodesTests(RedisServer redis)
    {
        foreach (var node in new[] { _nodeA, _nodeB })
        {
            node.Settings["Terminal:Redis"] = redis.Configuration;
            node.Settings["Terminal:Plans:Free:ApiRequestsPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _nodeB.Settings["Terminal:DataDirectory"] = _nodeA.DataDirectory;
    }

    [Fact]
    public async Task TwoNodes_GrantTheUsersBudgetOnce_AcrossItsKeys()
    {
        var user = await _nodeA.CreateUserClientAsync();
        var onA = await KeyClientAsync(_nodeA, user.Http, "a");
        var onB = await KeyClientAsync(_nodeB, user.Http, "b");

        var remaining = new List<int>();
        for (var i = 0; i < Limit; i++)
        {
            var response = await (i % 2 == 0 ? onA : onB).GetAsync("/ext-api/v1/vods");
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"request {i + 1} of {Limit} is within the budget");
            remaining.Add(int.Parse(response.Headers.GetValues("X-RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture));
        }

        remaining.Should().Equal([5, 4, 3, 2, 1, 0], "both nodes count down one budget");
        foreach (var client in new[] { onA, onB })
        {
            using var refused = await client.GetAsync("/ext-api/v1/vods");
            refused.Headers.RetryAfter!.Delta!.Value.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(60));
            await refused.ShouldBeApiErrorAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        }
    }

    internal static async Task<HttpClient> KeyClientAsync(TerminalWebFactory node, HttpClient owner, string name)
    {
        var created = await (await owner.PostAsJsonAsync("/api/keys", new { name })).Content.ReadFromJsonAsync<ApiKeyCacheAcrossNodesTests.CreatedKeyDto>();
        var client = node.CreateApiClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", created!.Key);
        return client;
    }

    public Task InitializeAsync()
    {
        _ = _nodeA.Server; // node A migrates the shared database first
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
    }
}

/// <summary>Redis gone after the start: the node keeps counting the budget on its own, and the API stays up.</summary>
public sealed class ApiBudgetWithoutRedisTests : IAsyncLifetime
{
    private const int Limit = 3;
    private readonly RedisServer _redis = new();
    private readonly TerminalWebFactory _node = new();

    [Fact]
    public async Task TheBudget_IsCountedOnTheNode_WhileRedisIsDown()
    {
        var user = await _node.CreateUserClientAsync();
        var client = await ApiBudgetAcrossNodesTests.KeyClientAsync(_node, user.Http, "bot");

        await _redis.DisposeAsync(); // the server is killed
        var redis = _node.Services.GetRequiredService<Terminal.Web.Features.Cluster.ClusterRedis>();
        await Wait.UntilAsync(async () => !(await redis.DatabaseAsync())!.Multiplexer.IsConnected, TimeSpan.FromSeconds(10), "the node sees Redis gone");

        for (var i = 0; i < Limit; i++)
        {
            (await client.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK, "the API answers without Redis");
        }

        using var refused = await client.GetAsync("/ext-api/v1/vods");
        await refused.ShouldBeApiErrorAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _node.Settings["Terminal:Redis"] = _redis.Configuration;
        _node.Settings["Terminal:Plans:Free:ApiRequestsPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
