using Quartz;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>Starts the linked-account jobs now (the web endpoints and the maintenance scan use it).</summary>
public sealed class LinkedAccountScheduler(ISchedulerFactory schedulers)
{
    public async Task ValidateNowAsync(long credentialId, string redirectBase, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var data = new JobDataMap();
        data.PutAsString(ValidateCredentialsJob.CredentialIdKey, credentialId);
        data[ValidateCredentialsJob.RedirectBaseKey] = redirectBase;
        await scheduler.TriggerJob(ValidateCredentialsJob.Key, data, cancellationToken);
    }

    public async Task SyncNowAsync(long accountId, string trigger, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var data = new JobDataMap();
        data.PutAsString(SyncLinkedAccountJob.AccountIdKey, accountId);
        data[SyncLinkedAccountJob.TriggerKey] = trigger;
        await scheduler.TriggerJob(SyncLinkedAccountJob.Key, data, cancellationToken);
    }
}
