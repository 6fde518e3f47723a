using Quartz;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>Judges stored developer credentials right after they are saved (triggered on demand).</summary>
public sealed class ValidateCredentialsJob(LinkedAccountService service, Terminal.Core.Common.IPublicBaseUrl publicBase) : IJob
{
    public static readonly JobKey Key = new("validate-credentials", LinkedAccountJobs.Group);

    public const string CredentialIdKey = "credentialId";
    public const string RedirectBaseKey = "redirectBase";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        if (!long.TryParse(data.GetString(CredentialIdKey), out var id))
        {
            return;
        }

        // A validation that never reached the platform is not a success: ADMIN's jobs list must say it failed.
        var unjudged = await service.ValidateCredentialsAsync(id, data.GetString(RedirectBaseKey) ?? publicBase.Resolve(), cancellationToken);
        if (unjudged is not null)
        {
            throw new JobExecutionException($"No verdict: {unjudged}");
        }
    }
}
