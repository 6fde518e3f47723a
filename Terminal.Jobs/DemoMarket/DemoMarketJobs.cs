using Microsoft.Extensions.Configuration;
using Quartz;

namespace Terminal.Jobs.DemoMarket;

/// <summary>Services and Quartz jobs for the built-in demo market (backfill and live movement).</summary>
public static class DemoMarketJobs
{
    public static IQuartzBuilder AddDemoMarketJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        return quartz;
    }
}
