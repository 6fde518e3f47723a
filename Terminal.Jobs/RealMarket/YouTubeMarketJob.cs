using Quartz;
using Terminal.Core.Market;

namespace Terminal.Jobs.RealMarket;

/// <summary>Polls the public YouTube market when the planner says a poll is due (SPEC §9).</summary>
[DisallowConcurrentExecution]
public sealed class YouTubeMarketJob(YouTubeMarketPoller poller, IMarketProducer producer, TimeProvider time) : MarketPollJob(poller, producer, time)
{
    public static readonly JobKey Key = new("youtube-market-poll", "market");
}
