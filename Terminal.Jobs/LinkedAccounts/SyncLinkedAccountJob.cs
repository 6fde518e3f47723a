using Quartz;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>Syncs one linked account (triggered by the maintenance scan or by <c>POST /api/sync/{platform}</c>).</summary>
public sealed class SyncLinkedAccountJob(LinkedAccountSync sync) : IJob
{
    public static readonly JobKey Key = new("sync-linked-account", LinkedAccountJobs.Group);

    public const string AccountIdKey = "accountId";
    public const string TriggerKey = "trigger";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        if (long.TryParse(data.GetString(AccountIdKey), out var id))
        {
            await sync.RunAsync(id, data.GetString(TriggerKey) ?? "schedule", cancellationToken);
        }
    }
}
