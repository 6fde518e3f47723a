using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Market;

namespace Terminal.Tests.Web.Features.Market;

/// <summary>The hosted market pipeline is the only thing that connects feed → engine → ticker → hub.</summary>
public sealed class MarketPipelineTests : IDisposable
{
    private const string Topic = "trends:creators:all:24h";
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(Now));
    private readonly InProcessMarketFeed _feed = new();
    private readonly TrendEngine _engine;
    private readonly TrendTicker _ticker;
    private readonly MarketHubBroadcaster _broadcaster;
    private readonly MarketPipeline _pipeline;
    private readonly List<TrendTick> _ticks = [];

    public MarketPipelineTests()
    {
        _engine = new TrendEngine(_time);
        _ticker = new TrendTicker(_engine, _time);
        _broadcaster = new MarketHubBroadcaster(_ticker, new SilentHubContext(), _time, NullLogger<MarketHubBroadcaster>.Instance);
        _pipeline = new MarketPipeline(_feed, _engine, _ticker, _broadcaster, NullLogger<MarketPipeline>.Instance);
    }

    [Fact]
    public async Task Start_ConnectsFeedToEngineAndEngineToTicker()
    {
        using var subscription = SubscribeAndTakeFirstTick();

        await _pipeline.StartingAsync(CancellationToken.None);
        await _pipeline.StartAsync(CancellationToken.None);
        _feed.Publish(Update(1));
        _time.Advance(TrendTicker.MinInterval);

        _engine.EntityCount.Should().Be(1, "the engine ingests what the feed publishes");
        TicksSeen().Should().Be(2, "the engine's change made the ticker tick again");
        _pipeline.IsConnected.Should().BeTrue();
        _broadcaster.IsOpen.Should().BeTrue();
    }

    [Fact]
    public async Task Stop_DisconnectsFeedEngineTickerAndHub()
    {
        using var subscription = SubscribeAndTakeFirstTick();
        await _pipeline.StartingAsync(CancellationToken.None);
        _broadcaster.Join("connection-1", Topic);
        _broadcaster.Topics.Should().ContainSingle();
        _time.Advance(TrendTicker.MinInterval); // the hub's join ticks the topic once
        var ticksBeforeStop = TicksSeen();

        await _pipeline.StopAsync(CancellationToken.None);
        _feed.Publish(Update(1));
        _engine.Ingest(Update(2)); // even a direct ingest no longer reaches the ticker
        _time.Advance(TimeSpan.FromSeconds(5));

        _engine.EntityCount.Should().Be(1, "only the direct ingest arrived: the feed is disconnected");
        TicksSeen().Should().Be(ticksBeforeStop, "the engine's changes no longer reach the ticker");
        _broadcaster.Topics.Should().BeEmpty("the hub broadcaster dropped its ticker subscriptions");
        _broadcaster.IsOpen.Should().BeFalse();
        _pipeline.IsConnected.Should().BeFalse();
    }

    [Fact]
    public void ConstructedEngineAndTicker_SubscribeToNothing()
    {
        var feed = new CountingFeed();
        var services = new ServiceCollection().AddSingleton<IMarketFeed>(feed).AddSingleton<TimeProvider>(_time).AddTerminalCore();
        using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<TrendEngine>();
        var ticker = provider.GetRequiredService<TrendTicker>();
        var ticks = 0;
        using var subscription = ticker.Subscribe(Topic, _ => ticks++);
        _time.Advance(TimeSpan.Zero);
        ticks.Should().Be(1, "a new subscription gets the current ranking at once");

        engine.Ingest(Update(1));
        _time.Advance(TimeSpan.FromSeconds(5));

        feed.Subscriptions.Should().Be(0, "constructing the engine does not subscribe it to the feed");
        ticks.Should().Be(1, "constructing the ticker does not subscribe it to the engine's changes");
    }

    public void Dispose()
    {
        _broadcaster.Dispose();
        _ticker.Dispose();
        _engine.Dispose();
    }

    private IDisposable SubscribeAndTakeFirstTick()
    {
        var subscription = _ticker.Subscribe(Topic, tick =>
        {
            lock (_ticks)
            {
                _ticks.Add(tick);
            }
        });
        _time.Advance(TimeSpan.Zero);
        TicksSeen().Should().Be(1, "a new subscription gets the current ranking at once");
        return subscription;
    }

    private int TicksSeen()
    {
        lock (_ticks)
        {
            return _ticks.Count;
        }
    }

    private static MarketUpdate Update(int creatorId) =>
        new(Now, [new MetricSnapshot { Kind = EntityKind.Creator, EntityId = creatorId, At = Now, Views = 1_000 }])
        {
            Entities = [new EntityInfo(EntityKind.Creator, creatorId, $"creator {creatorId}", Platform.TikTok, null)],
        };

    private sealed class CountingFeed : IMarketFeed
    {
        public int Subscriptions { get; private set; }

        public void Publish(MarketUpdate update)
        {
        }

        public IDisposable Subscribe(Action<MarketUpdate> handler)
        {
            Subscriptions++;
            return new CancellationTokenSource();
        }
    }

    /// <summary>A hub context whose sends go nowhere (these tests watch the ticker, not the wire).</summary>
    private sealed class SilentHubContext : FakeHubContext<MarketHub>
    {
        public override Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
