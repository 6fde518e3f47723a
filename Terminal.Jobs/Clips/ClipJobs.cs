using Microsoft.Extensions.Configuration;
using Quartz;

namespace Terminal.Jobs.Clips;

/// <summary>Services and Quartz jobs for VOD probing, clip extraction and retention.</summary>
public static class ClipJobs
{
    public static IQuartzBuilder AddClipJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        return quartz;
    }
}
