using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Market;

public sealed class MarketHubTests(DemoMarketFactory factory) : IClassFixture<DemoMarketFactory>
{
    private HubConnection Connect(string? token) => factory.ConnectMarketHub(token);

    [Fact]
    public async Task Subscribe_WithBearer_ReceivesTrendTicks()
    {
        var user = await factory.ReadyUserAsync();
        await using var connection = Connect(user.AccessToken);
        var ticks = new ConcurrentQueue<JsonElement>();
        connection.On<JsonElement>("TrendTick", tick => ticks.Enqueue(tick));
        await connection.StartAsync();

        await connection.InvokeAsync("Subscribe", "trends:creators:all:24h");
        await Wait.UntilAsync(() => !ticks.IsEmpty, TimeSpan.FromSeconds(10), "a first TrendTick arrives");

        ticks.TryPeek(out var tick).Should().BeTrue();
        tick.GetProperty("topic").GetString().Should().Be("trends:creators:all:24h");
        tick.GetProperty("at").GetDateTime().Kind.Should().Be(DateTimeKind.Utc);
        var items = tick.GetProperty("items").EnumerateArray().ToList();
        items.Should().HaveCount(20, "the demo fixture has 20 creators (a tick carries the top 50)");
        items[0].GetProperty("rank").GetInt32().Should().Be(1);
        items[0].GetProperty("platform").GetString().Should().BeOneOf("tiktok", "instagram", "youtube");
        items[0].GetProperty("clipperCount").ValueKind.Should().Be(JsonValueKind.Number);
    }

    [Fact]
    public async Task BurstOfMarketUpdates_IsCoalescedToAtMostFourTicksPerSecond()
    {
        var user = await factory.ReadyUserAsync();
        await using var connection = Connect(user.AccessToken);
        var ats = new ConcurrentQueue<DateTime>();
        connection.On<JsonElement>("TrendTick", tick => ats.Enqueue(tick.GetProperty("at").GetDateTime().ToUniversalTime()));
        await connection.StartAsync();
        await connection.InvokeAsync("Subscribe", "trends:clips:all:1h");
        await Wait.UntilAsync(() => !ats.IsEmpty, TimeSpan.FromSeconds(10), "the first tick arrives");

        // 300 market updates within ~1.5 s, each moving one creator.
        var feed = factory.Services.GetRequiredService<IMarketFeed>();
        var start = DateTime.UtcNow;
        for (var i = 0; i < 300; i++)
        {
            var now = DateTime.UtcNow;
            feed.Publish(new MarketUpdate(now, [new MetricSnapshot { Kind = EntityKind.Clip, EntityId = 1 + (i % 20), At = now, Views = 10_000_000 + i }]));
            await Task.Delay(5);
        }

        var burst = DateTime.UtcNow - start;
        var before = ats.Count;
        await Wait.UntilAsync(() => ats.Count > before || ats.Last() >= start, TimeSpan.FromSeconds(5), "the trailing tick of the burst arrives");

        var during = ats.Where(a => a >= start).Order().ToList();
        during.Should().NotBeEmpty("the burst moved the market");
        during.Count.Should().BeLessThanOrEqualTo((int)Math.Ceiling(burst.TotalSeconds * 4) + 1, "at most 4 ticks a second, bursts coalesced (burst lasted {0})", burst);
        during.Zip(during.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= TimeSpan.FromMilliseconds(200), "ticks of one topic are ≥ 250 ms apart");
    }

    [Fact]
    public async Task Connect_WithoutAccount_IsRefused()
    {
        await factory.WaitForMarketAsync();
        await using var connection = Connect(token: null);

        var act = () => connection.StartAsync();

        (await act.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Connect_WithForgedToken_IsRefused()
    {
        await using var connection = Connect("forged-token");
        await connection.Invoking(c => c.StartAsync()).Should().ThrowAsync<HttpRequestException>();
    }

    [Theory]
    [InlineData("trends:creators:all")]
    [InlineData("trends:videos:all:24h")]
    [InlineData("trends:clips:myspace:24h")]
    [InlineData("trends:clips:all:2h")]
    [InlineData("prices:clips:all:24h")]
    public async Task Subscribe_ToABadTopic_IsRejectedWithAClearMessage(string topic)
    {
        var user = await factory.ReadyUserAsync();
        await using var connection = Connect(user.AccessToken);
        await connection.StartAsync();

        var act = () => connection.InvokeAsync("Subscribe", topic);

        (await act.Should().ThrowAsync<HubException>()).Which.Message.Should().Contain("Unknown topic").And.Contain("trends:{creators|clips|topics}");
    }

    [Fact]
    public async Task Unsubscribe_StopsTicks_AndUsersAreAddressableByIdentityId()
    {
        var user = await factory.ReadyUserAsync();
        await using var connection = Connect(user.AccessToken);
        var ticks = new ConcurrentQueue<JsonElement>();
        var direct = new TaskCompletionSource<string>();
        connection.On<JsonElement>("TrendTick", tick => ticks.Enqueue(tick));
        connection.On<string>("Ping", message => direct.TrySetResult(message));
        await connection.StartAsync();
        await connection.InvokeAsync("Subscribe", "trends:topics:all:7d");
        await Wait.UntilAsync(() => !ticks.IsEmpty, TimeSpan.FromSeconds(10), "a first tick arrives");

        await connection.InvokeAsync("Unsubscribe", "trends:topics:all:7d");
        var broadcaster = factory.Services.GetRequiredService<Terminal.Web.Features.Market.MarketHubBroadcaster>();
        broadcaster.Topics.Should().NotContain("trends:topics:all:7d");

        // The clip helper pushes ClipProgress with Clients.User(userId): the hub's user id is the Identity id.
        var hub = factory.Services.GetRequiredService<IHubContext<Terminal.Web.Features.Market.MarketHub>>();
        await hub.Clients.User(user.UserId).SendAsync("Ping", "hello");
        (await direct.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("hello");
    }
}
