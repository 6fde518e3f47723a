using Quartz;
using Terminal.Core.Market;

namespace Terminal.Jobs.RealMarket;

/// <summary>Publishes the fresh syncs of accounts whose owners contribute them to the market (SPEC §9, TikTok opt-in).</summary>
[DisallowConcurrentExecution]
public sealed class MarketContributionJob(MarketContributionService contributions, IMarketProducer producer) : IJob
{
    public static readonly JobKey Key = new("market-contributions", "market");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!producer.IsProducer)
        {
            context.Result = "another node produces the market";
            return;
        }

        var published = await contributions.PublishPendingAsync(cancellationToken);
        context.Result = $"{published} contributed readings published";
    }
}
