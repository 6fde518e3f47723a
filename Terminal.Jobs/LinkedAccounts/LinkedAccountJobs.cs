using Microsoft.Extensions.Configuration;
using Quartz;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>Services and Quartz jobs for credential validation, token refresh and platform syncs.</summary>
public static class LinkedAccountJobs
{
    public static IQuartzBuilder AddLinkedAccountJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        return quartz;
    }
}
