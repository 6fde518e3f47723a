using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Quartz;
using Terminal.Jobs.LinkedAccounts;
using Terminal.Jobs.Scheduling;

namespace Terminal.Jobs.RealMarket;

public static class RealMarketJobs
{
    /// <summary>The YouTube and Instagram market clients (resilient; quota-metered / usage-gauged), their pollers, the admin service and the poll jobs.</summary>
    public static IQuartzBuilder AddRealMarketJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        var services = quartz.Services;
        services.AddOptions<YouTubeMarketOptions>().BindConfiguration(YouTubeMarketOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<YouTubeQuotaMeter>();
        services.AddTransient<YouTubeQuotaMeter.Handler>();
        services.AddHttpClient(YouTubeDataApi.HttpClientName)
            .AddStandardResilienceHandler()
            .Configure((o, sp) => LinkedAccountJobs.ConfigureResilience(o, sp.GetRequiredService<IOptions<LinkedAccountOptions>>().Value, retryPosts: false));
        // Added after the resilience handler, so it sits inside it: every attempt sent is counted.
        services.AddHttpClient(YouTubeDataApi.HttpClientName).AddHttpMessageHandler<YouTubeQuotaMeter.Handler>();
        services.AddSingleton<YouTubeDataApi>();
        services.AddSingleton<YouTubeMarketPoller>();
        services.AddSingleton<MarketSourcesService>();

        var settings = configuration.GetSection(YouTubeMarketOptions.Section).Get<YouTubeMarketOptions>() ?? new YouTubeMarketOptions();
        // The job wakes at most once a minute (or at the configured interval when shorter); the poller's
        // planner decides whether a poll is due, so a stretched interval needs no re-scheduling.
        var wake = TimeSpan.FromSeconds(Math.Clamp(settings.StatsIntervalSeconds, 5, 60));
        quartz.AddJob<YouTubeMarketJob>(j => j.WithIdentity(YouTubeMarketJob.Key).WithDescription("Public YouTube market: channel statistics, uploads, moving videos (SPEC §9)").StoreDurably());
        quartz.AddStandingTrigger(t => t.ForJob(YouTubeMarketJob.Key).WithIdentity("youtube-market-poll-trigger", "market")
            .StartAt(DateTimeOffset.UtcNow + wake)
            .WithSimpleSchedule(s => s.WithInterval(wake).RepeatForever()));

        // Instagram Business Discovery: the same resilient client rules; Meta's usage header is the brake.
        services.AddOptions<InstagramMarketOptions>().BindConfiguration(InstagramMarketOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(InstagramGraphApi.HttpClientName)
            .AddStandardResilienceHandler()
            .Configure((o, sp) => LinkedAccountJobs.ConfigureResilience(o, sp.GetRequiredService<IOptions<LinkedAccountOptions>>().Value, retryPosts: false));
        services.AddSingleton<InstagramUsageGauge>();
        services.AddSingleton<InstagramGraphApi>();
        services.AddSingleton<InstagramMarketPoller>();
        var instagram = configuration.GetSection(InstagramMarketOptions.Section).Get<InstagramMarketOptions>() ?? new InstagramMarketOptions();
        var instagramWake = TimeSpan.FromSeconds(Math.Clamp(instagram.PollIntervalSeconds, 5, 60));
        quartz.AddJob<InstagramMarketJob>(j => j.WithIdentity(InstagramMarketJob.Key).WithDescription("Public Instagram market: Business Discovery of monitored handles within the Business Use Case limits (SPEC §9)").StoreDurably());
        quartz.AddStandingTrigger(t => t.ForJob(InstagramMarketJob.Key).WithIdentity("instagram-market-poll-trigger", "market")
            .StartAt(DateTimeOffset.UtcNow + instagramWake)
            .WithSimpleSchedule(s => s.WithInterval(instagramWake).RepeatForever()));

        // TikTok opt-in: the syncs of contributing linked accounts become market readings. The sync itself
        // is the linked-account feature's; this job only publishes what it stored, so it needs no hook there.
        services.AddSingleton<MarketContributionService>();
        quartz.AddJob<MarketContributionJob>(j => j.WithIdentity(MarketContributionJob.Key).WithDescription("Contributed TikTok accounts: each new sync becomes a market reading (SPEC §9 opt-in)").StoreDurably());
        quartz.AddStandingTrigger(t => t.ForJob(MarketContributionJob.Key).WithIdentity("market-contributions-trigger", "market")
            .StartAt(DateTimeOffset.UtcNow.AddSeconds(30))
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(30)).RepeatForever()));
        return quartz;
    }
}
