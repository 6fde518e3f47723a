using FluentAssertions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Market;
using Xunit;

namespace Terminal.Tests.Web.Features.Market;

public sealed class MarketHubBroadcasterTests
{
    private const string Topic = "trends:creators:all:24h";

    [Fact]
    public async Task TicksArrivingDuringASlowSend_AreCoalescedToTheNewest()
    {
        var ticker = new FakeTrendTicker();
        var hub = new BlockingHubContext();
        using var broadcaster = new MarketHubBroadcaster(ticker, hub, TimeProvider.System, NullLogger<MarketHubBroadcaster>.Instance);
        broadcaster.Open();
        broadcaster.Join("connection-1", Topic);

        ticker.Push(Topic, TrendItems.Creator(1, "first", 100));
        await Wait.UntilAsync(() => hub.Sent.Count == 1, TimeSpan.FromSeconds(5), "the first tick is being sent");
        ticker.Push(Topic, TrendItems.Creator(2, "stale", 100));
        ticker.Push(Topic, TrendItems.Creator(3, "newest", 100));

        hub.Release();
        await Wait.UntilAsync(() => hub.Sent.Count == 2, TimeSpan.FromSeconds(5), "the pending tick is sent");
        // A later tick goes out after it, so a queued stale tick would show up before this one.
        ticker.Push(Topic, TrendItems.Creator(4, "later", 100));
        await Wait.UntilAsync(() => hub.Sent.Count >= 3, TimeSpan.FromSeconds(5), "the later tick is sent");

        hub.Sent.Select(t => t.Items[0].Name).Should().Equal("first", "newest", "later");
    }

    /// <summary>A hub context whose group sends record the tick and block until released.</summary>
    private sealed class BlockingHubContext : FakeHubContext<MarketHub>
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<TrendTick> _sent = [];

        public IReadOnlyList<TrendTick> Sent
        {
            get
            {
                lock (_sent)
                {
                    return _sent.ToArray();
                }
            }
        }

        public void Release() => _release.TrySetResult();

        public override Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            lock (_sent)
            {
                _sent.Add((TrendTick)args[0]!);
            }

            return _release.Task;
        }
    }
}
