using Quartz;
using Terminal.Core.Market;

namespace Terminal.Jobs.RealMarket;

/// <summary>Polls the monitored Instagram handles when the planner says a poll is due (SPEC §9).</summary>
[DisallowConcurrentExecution]
public sealed class InstagramMarketJob(InstagramMarketPoller poller, IMarketProducer producer, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("instagram-market-poll", "market");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // "Run now" from ADMIN (Quartz's manual-trigger group) polls even when the planner says not yet.
        var manual = context.Trigger.Key.Group == "MANUAL_TRIGGER";
        // Scheduled polls run on the producer node only (its updates reach the other nodes over Redis);
        // an admin's "run now" polls on whichever node it was asked on.
        if (!manual && !producer.IsProducer)
        {
            context.Result = "another node produces the market";
            return;
        }

        var outcome = await poller.PollAsync(time.GetUtcNow().UtcDateTime, force: manual, cancellationToken);
        context.Result = outcome.Result;
    }
}
