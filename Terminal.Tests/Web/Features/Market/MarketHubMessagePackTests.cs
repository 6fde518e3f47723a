using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Market;

/// <summary>The hub also speaks the MessagePack protocol (cheaper fan-out, see bench/RESULTS.md "Live fan-out").</summary>
public sealed class MarketHubMessagePackTests(DemoMarketFactory factory) : IClassFixture<DemoMarketFactory>
{
    [Fact]
    public async Task MessagePackClient_ReceivesTypedTrendTicks()
    {
        var user = await factory.ReadyUserAsync();
        await using var connection = factory.MarketHub(user.AccessToken)
            .AddMessagePackProtocol()
            .Build();
        var ticks = new ConcurrentQueue<TrendTick>();
        connection.On<TrendTick>("TrendTick", tick => ticks.Enqueue(tick));
        await connection.StartAsync();

        await connection.InvokeAsync("Subscribe", "trends:creators:all:24h");
        await Wait.UntilAsync(() => !ticks.IsEmpty, TimeSpan.FromSeconds(10), "a first TrendTick arrives over MessagePack");

        ticks.TryPeek(out var tick).Should().BeTrue();
        tick!.Topic.Should().Be("trends:creators:all:24h");
        tick.At.Kind.Should().Be(DateTimeKind.Utc);
        tick.Items.Should().HaveCount(20, "the demo fixture has 20 creators");
        tick.Items[0].Rank.Should().Be(1);
        tick.Items[0].Platform.Should().NotBeNull();
        tick.Items.Select(i => i.Heat).Should().BeInDescendingOrder();
    }
}
