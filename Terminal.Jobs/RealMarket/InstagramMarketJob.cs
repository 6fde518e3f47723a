using Quartz;
using Terminal.Core.Market;

namespace Terminal.Jobs.RealMarket;

/// <summary>Polls the monitored Instagram handles when the planner says a poll is due (SPEC §9).</summary>
[DisallowConcurrentExecution]
public sealed class InstagramMarketJob(InstagramMarketPoller poller, IMarketProducer producer, TimeProvider time) : MarketPollJob(poller, producer, time)
{
    public static readonly JobKey Key = new("instagram-market-poll", "market");
}
