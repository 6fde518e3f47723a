using Quartz;

namespace Terminal.Jobs.RealMarket;

/// <summary>Publishes the fresh syncs of accounts whose owners contribute them to the market (SPEC §9, TikTok opt-in).</summary>
[DisallowConcurrentExecution]
public sealed class MarketContributionJob(MarketContributionService contributions) : IJob
{
    public static readonly JobKey Key = new("market-contributions", "market");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var published = await contributions.PublishPendingAsync(cancellationToken);
        context.Result = $"{published} contributed readings published";
    }
}
