using Quartz;

namespace Terminal.Jobs.RealMarket;

/// <summary>Polls the monitored Instagram handles when the planner says a poll is due (SPEC §9).</summary>
[DisallowConcurrentExecution]
public sealed class InstagramMarketJob(InstagramMarketPoller poller, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("instagram-market-poll", "market");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // "Run now" from ADMIN (Quartz's manual-trigger group) polls even when the planner says not yet.
        var manual = context.Trigger.Key.Group == "MANUAL_TRIGGER";
        var outcome = await poller.PollAsync(time.GetUtcNow().UtcDateTime, force: manual, cancellationToken);
        context.Result = outcome.Result;
    }
}
