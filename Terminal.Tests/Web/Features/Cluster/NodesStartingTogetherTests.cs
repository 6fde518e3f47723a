using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Cluster;

/// <summary>
/// Two nodes started at the same moment on one fresh database with the DEMO market on: one backfills (it
/// holds the <c>market-bootstrap</c> lease), the other waits and resumes that market instead of writing a
/// second one over it.
/// </summary>
public sealed class NodesStartingTogetherTests : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const int Creators = 30;

    private readonly TerminalWebFactory _nodeA = new();
    private readonly TerminalWebFactory _nodeB = new();

    public NodesStartingTogetherTests(RedisServer redis)
    {
        foreach (var node in new[] { _nodeA, _nodeB })
        {
            node.Settings["Terminal:Redis"] = redis.Configuration;
            node.Settings["Terminal:DemoFeed:Enabled"] = "true";
            node.Settings["Terminal:DemoFeed:Creators"] = Creators.ToString();
            node.Settings["Terminal:DemoFeed:Clippers"] = "15";
            node.Settings["Terminal:DemoFeed:ClipsPerCreator"] = "3";
            node.Settings["Terminal:DemoFeed:VodsPerCreator"] = "0";
            // Long enough a backfill that the two starts overlap it.
            node.Settings["Terminal:DemoFeed:HistoryDays"] = "10";
            node.Settings["Terminal:DemoFeed:FutureDays"] = "1";
        }

        _nodeB.Settings["Terminal:DataDirectory"] = _nodeA.DataDirectory;
    }

    [Fact]
    public async Task BothNodesGoLive_OnOneBackfilledMarket()
    {
        // Both hosts start at once (their migrations take the database's migration lock in turn).
        await Task.WhenAll(Task.Run(() => _nodeA.Server), Task.Run(() => _nodeB.Server));

        foreach (var node in new[] { _nodeA, _nodeB })
        {
            var status = node.Services.GetRequiredService<MarketStatus>();
            await Wait.UntilAsync(() => status.State is FeedState.Live or FeedState.Faulted, TimeSpan.FromSeconds(60), "the DEMO market starts");
            status.State.Should().Be(FeedState.Live, "neither node's start collides with the other's backfill");
        }

        await using var db = await _nodeA.Services.GetRequiredService<TerminalDatabase>().OpenAsync(CancellationToken.None);
        (await db.Creators.CountAsync(c => c.IsDemo)).Should().Be(Creators, "one DEMO market was written");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
    }
}
