using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Cluster;

namespace Terminal.Tests.Web.Features.Cluster;

/// <summary>
/// A node that was cut off from Redis for longer than the market stream keeps: the batches it did not read are
/// trimmed from the stream, but every batch is in the database before it is published, so the node fills the gap
/// from there and reads on.
/// </summary>
public sealed class MarketStreamGapTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly TerminalWebFactory _node = new();

    [Fact]
    public async Task BatchesTrimmedBeforeTheNodeReadThem_ReachItsEngine_FromTheDatabase()
    {
        var status = _node.Services.GetRequiredService<MarketStatus>();
        await Wait.UntilAsync(() => status.State is FeedState.Live or FeedState.Faulted, TimeSpan.FromSeconds(60), "the DEMO market starts");
        var feed = _node.Services.GetRequiredService<ClusterMarketFeed>();
        var store = _node.Services.GetRequiredService<IMarketStore>();
        var engine = _node.Services.GetRequiredService<TrendEngine>();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var db = connection.GetDatabase();
        // The node has read the stream (its own batches) at least once, so it has a last id to miss entries after.
        await Wait.UntilAsync(async () => await db.StreamLengthAsync(ClusterMarketFeed.StreamKey) >= 2, TimeSpan.FromSeconds(20), "the node publishes its batches");
        await Task.Delay(ClusterMarketFeed.PollInterval * 2);

        // Another node's batch, stored first (as every producer does), then published — and trimmed away with the
        // rest of the stream before this node could read it, as if it had been cut off for the stream's whole length.
        var creator = (await store.LatestSnapshotsAsync(EntityKind.Creator, CancellationToken.None)).First();
        var missed = new MetricSnapshot
        {
            Kind = EntityKind.Creator,
            EntityId = creator.EntityId,
            At = DateTime.UtcNow.AddMilliseconds(-5),
            Views = creator.Views + 987_654,
            Likes = creator.Likes,
            Comments = creator.Comments,
            Shares = creator.Shares,
            Followers = creator.Followers,
        };
        await store.InsertSnapshotsAsync([missed], CancellationToken.None);
        var batch = JsonSerializer.SerializeToUtf8Bytes(new MarketUpdate(missed.At, [missed]), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var trim = db.CreateTransaction();
        _ = trim.StreamAddAsync(ClusterMarketFeed.StreamKey, [new("node", "elsewhere"), new("data", batch)]);
        _ = trim.StreamAddAsync(ClusterMarketFeed.StreamKey, [new("node", "elsewhere"), new("data", JsonSerializer.SerializeToUtf8Bytes(new MarketUpdate(DateTime.UtcNow, []), new JsonSerializerOptions(JsonSerializerDefaults.Web)))]);
        _ = trim.StreamTrimAsync(ClusterMarketFeed.StreamKey, maxLength: 1);
        (await trim.ExecuteAsync()).Should().BeTrue();

        await Wait.UntilAsync(() => engine.ValueAt(EntityKind.Creator, missed.EntityId, Metric.Views, missed.At) == missed.Views,
            TimeSpan.FromSeconds(10), "the node's engine holds the reading of the batch it never read");
        feed.GapsRepaired.Should().Be(1);
    }

    public Task InitializeAsync()
    {
        _node.Settings["Terminal:Redis"] = redis.Configuration;
        _node.Settings["Terminal:DemoFeed:Enabled"] = "true";
        _node.Settings["Terminal:DemoFeed:Creators"] = "20";
        _node.Settings["Terminal:DemoFeed:Clippers"] = "10";
        _node.Settings["Terminal:DemoFeed:ClipsPerCreator"] = "2";
        _node.Settings["Terminal:DemoFeed:VodsPerCreator"] = "0";
        _node.Settings["Terminal:DemoFeed:HistoryDays"] = "1";
        _node.Settings["Terminal:DemoFeed:FutureDays"] = "1";
        _node.Settings["Terminal:DemoFeed:TickIntervalMilliseconds"] = "300";
        _ = _node.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();
}
