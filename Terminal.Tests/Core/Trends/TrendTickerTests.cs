using System.Collections.Concurrent;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Core.Trends;

public sealed class TrendTickerTests
{
    private sealed class CountingReader : ITrendReader
    {
        public ConcurrentDictionary<string, int> Calls { get; } = new();

        public TrendResult Query(TrendQuery query)
        {
            Calls.AddOrUpdate($"{query.Kind}:{query.Platform}:{query.Period}", 1, (_, n) => n + 1);
            return new TrendResult([], DateTime.UtcNow);
        }
    }

    [Fact]
    public async Task ABurstOfChanges_IsCoalesced_AndOnlySubscribedTopicsAreComputed()
    {
        var reader = new CountingReader();
        using var ticker = new TrendTicker(reader, TimeProvider.System);
        var ticks = new ConcurrentQueue<TrendTick>();
        using var subscription = ticker.Subscribe("trends:clips:tiktok:1h", ticks.Enqueue);
        await Wait.UntilAsync(() => ticks.Count == 1, TimeSpan.FromSeconds(5), "the first tick of a new subscription arrives");

        var started = DateTime.UtcNow;
        for (var i = 0; i < 5_000; i++)
        {
            ticker.OnMarketChanged();
        }

        await Wait.UntilAsync(() => ticks.Count >= 2, TimeSpan.FromSeconds(5), "the burst produces a tick");
        var elapsed = DateTime.UtcNow - started;

        ticks.Count.Should().BeLessThanOrEqualTo(2 + (int)(elapsed.TotalSeconds * 4), "5,000 changes coalesce into the next tick");
        ticks.Should().OnlyContain(t => t.Topic == "trends:clips:tiktok:1h");
        reader.Calls.Keys.Should().ContainSingle("only subscribed topics are computed");
    }

    [Fact]
    public async Task Unsubscribing_TheLastSubscriber_RetiresTheTopic()
    {
        var reader = new CountingReader();
        using var ticker = new TrendTicker(reader, TimeProvider.System);
        var ticks = 0;
        var subscription = ticker.Subscribe("TRENDS:Creators:ALL:24h", _ => Interlocked.Increment(ref ticks));
        ticker.ActiveTopics.Should().Equal("trends:creators:all:24h");
        await Wait.UntilAsync(() => Volatile.Read(ref ticks) == 1, TimeSpan.FromSeconds(5), "the first tick arrives");

        subscription.Dispose();
        ticker.OnMarketChanged();

        ticker.ActiveTopics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("trends:creator:all:24h")]
    [InlineData("trends:creators:all:24h:extra")]
    public void Subscribe_WithAMalformedTopic_Throws(string topic)
    {
        using var ticker = new TrendTicker(new CountingReader(), TimeProvider.System);
        var act = () => ticker.Subscribe(topic, _ => { });
        act.Should().Throw<ArgumentException>().WithMessage("*Unknown topic*");
    }
}
