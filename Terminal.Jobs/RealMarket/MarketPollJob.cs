using Quartz;
using Terminal.Core.Market;

namespace Terminal.Jobs.RealMarket;

/// <summary>One poll of a public platform market (SPEC §9); the planner inside decides whether a poll is due.</summary>
public interface IMarketPoller
{
    /// <summary>Polls when due, or now when <paramref name="force"/> is set; returns what it did.</summary>
    Task<PollOutcome> PollAsync(DateTime now, bool force, CancellationToken cancellationToken);
}

/// <summary>
/// The Quartz job of a platform market poller. Scheduled polls run on the producer node only (its updates
/// reach the other nodes over Redis); an admin's "run now" (Quartz's manual-trigger group) polls on whichever
/// node it was asked on, even when the planner says not yet. Concrete jobs carry their <see cref="JobKey"/>
/// and <see cref="DisallowConcurrentExecutionAttribute"/>.
/// </summary>
public abstract class MarketPollJob(IMarketPoller poller, IMarketProducer producer, TimeProvider time) : IJob
{
    /// <summary>The group Quartz gives the trigger of <c>IScheduler.TriggerJob</c> (ADMIN's "run now").</summary>
    public const string ManualTriggerGroup = "MANUAL_TRIGGER";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var manual = context.Trigger.Key.Group == ManualTriggerGroup;
        if (!manual && !producer.IsProducer)
        {
            context.Result = "another node produces the market";
            return;
        }

        var outcome = await poller.PollAsync(time.GetUtcNow().UtcDateTime, force: manual, cancellationToken);
        context.Result = outcome.Result;
    }
}
