using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Market;

/// <summary>The DEMO market with live movement on: the Quartz tick job stores readings and publishes them.</summary>
public sealed class DemoLiveFeedTests : IDisposable
{
    private readonly DemoMarketFactory _factory = new();

    public DemoLiveFeedTests()
    {
        _factory.Settings["Terminal:DemoFeed:Live"] = "true";
        _factory.Settings["Terminal:DemoFeed:Creators"] = "40";
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task LiveTicks_StoreSnapshots_PublishThemOnTheFeed_AndAdvanceTheStatus()
    {
        await _factory.WaitForMarketAsync();
        var status = _factory.Services.GetRequiredService<IMarketStatus>();
        var feed = _factory.Services.GetRequiredService<IMarketFeed>();
        var updates = new ConcurrentQueue<MarketUpdate>();
        using var subscription = feed.Subscribe(updates.Enqueue);
        var firstTick = status.LastTickAt;

        await Wait.UntilAsync(() => updates.Count(u => u.Snapshots.Count > 0) >= 2, TimeSpan.FromSeconds(20), "two live ticks with readings were published");

        status.IsDemo.Should().BeTrue();
        status.State.Should().Be(FeedState.Live);
        status.LastTickAt.Should().BeAfter(firstTick!.Value);
        var published = updates.SelectMany(u => u.Snapshots).ToList();
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        var newest = published.MaxBy(s => s.At)!;
        (await db.Snapshots.AnyAsync(s => s.Kind == newest.Kind && s.EntityId == newest.EntityId && s.At == newest.At && s.Views == newest.Views))
            .Should().BeTrue("published readings are stored first");
    }
}
