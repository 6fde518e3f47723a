using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Quartz;
using Terminal.Jobs.Scheduling;

namespace Terminal.Jobs.LinkedAccounts;

/// <summary>Services and Quartz jobs for credential validation, token refresh and platform syncs.</summary>
public static class LinkedAccountJobs
{
    public const string Group = "linked-accounts";

    public static IQuartzBuilder AddLinkedAccountJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        quartz.Services.AddLinkedAccountServices();
        quartz.AddJob<ValidateCredentialsJob>(j => j.WithIdentity(ValidateCredentialsJob.Key).StoreDurably().WithDescription("Validate a user's developer credentials"));
        quartz.AddJob<SyncLinkedAccountJob>(j => j.WithIdentity(SyncLinkedAccountJob.Key).StoreDurably().WithDescription("Sync one linked account"));
        quartz.AddJob<LinkedAccountMaintenanceJob>(j => j.WithIdentity(LinkedAccountMaintenanceJob.Key).StoreDurably().WithDescription("Start due syncs, refresh long-lived tokens, close interrupted runs"));
        var scan = configuration.GetSection(LinkedAccountOptions.Section).Get<LinkedAccountOptions>() ?? new LinkedAccountOptions();
        quartz.AddStandingTrigger(t => t.ForJob(LinkedAccountMaintenanceJob.Key)
            .WithIdentity("linked-accounts-maintenance-trigger", Group)
            .StartAt(DateTimeOffset.UtcNow.AddSeconds(Math.Min(30, scan.ScanIntervalSeconds)))
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(scan.ScanIntervalSeconds)).RepeatForever()));
        return quartz;
    }

    /// <summary>Options, the two resilient HttpClients, OAuth dialects, connectors and the linked-account
    /// services (without the Quartz jobs, so tests can compose them alone).</summary>
    public static IServiceCollection AddLinkedAccountServices(this IServiceCollection services)
    {
        services.AddOptions<PlatformsOptions>().BindConfiguration(PlatformsOptions.Section)
            .Validate(o => o.IsValid(), "Terminal:Platforms:{Platform}:AuthorizeUrl, TokenUrl and ApiBaseUrl must be absolute URLs.")
            .ValidateOnStart();
        services.AddOptions<LinkedAccountOptions>().BindConfiguration(LinkedAccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddHttpClient(PlatformConnector.HttpClientName)
            .AddStandardResilienceHandler()
            .Configure((o, sp) => ConfigureResilience(o, sp.GetRequiredService<IOptions<LinkedAccountOptions>>().Value, retryPosts: true))
            .SelectPipelineByAuthority();
        services.AddHttpClient(PlatformOAuth.HttpClientName)
            .AddStandardResilienceHandler()
            .Configure((o, sp) => ConfigureResilience(o, sp.GetRequiredService<IOptions<LinkedAccountOptions>>().Value, retryPosts: false))
            .SelectPipelineByAuthority();

        services.AddSingleton<PlatformOAuth, GoogleOAuth>();
        services.AddSingleton<PlatformOAuth, InstagramOAuth>();
        services.AddSingleton<PlatformOAuth, TikTokOAuth>();
        services.AddSingleton<PlatformConnector, YouTubeConnector>();
        services.AddSingleton<PlatformConnector, InstagramConnector>();
        services.AddSingleton<PlatformConnector, TikTokConnector>();
        services.AddSingleton<LinkedAccountService>();
        services.AddSingleton<LinkedAccountSync>();
        services.AddSingleton<LinkedAccountScheduler>();

        return services;
    }

    /// <summary>The one transient-failure rule for platform calls (429 with Retry-After, 5xx, timeouts), shared by every platform client.</summary>
    internal static void ConfigureResilience(HttpStandardResilienceOptions o, LinkedAccountOptions options, bool retryPosts)
    {
        o.Retry.MaxRetryAttempts = Math.Max(options.MaxRetryAttempts, 0);
        o.Retry.Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds);
        o.Retry.MaxDelay = TimeSpan.FromSeconds(Math.Max(30, options.RetryBaseDelayMilliseconds / 1000.0 * 8));
        o.Retry.ShouldRetryAfterHeader = true; // 429/503 with Retry-After wait as told
        if (!retryPosts)
        {
            // An authorization code or a rotating refresh token must not be sent twice.
            o.Retry.DisableForUnsafeHttpMethods();
        }

        o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds);
        o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(Math.Max(options.TotalTimeoutSeconds, options.AttemptTimeoutSeconds + 1));
        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, options.AttemptTimeoutSeconds * 2 + 1));
    }
}
