using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;
using Terminal.Core.Clips;
using Terminal.Jobs.Media;
using Terminal.Jobs.Scheduling;

namespace Terminal.Jobs.Clips;

/// <summary>Services and Quartz jobs for VOD probing, clip extraction and retention.</summary>
public static class ClipJobs
{
    public static IQuartzBuilder AddClipJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        var services = quartz.Services;
        services.AddOptions<ClipOptions>().BindConfiguration(ClipOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IClipProgressNotifier, NullClipProgressNotifier>();
        services.AddSingleton<MediaPaths>();
        services.AddSingleton<FfmpegRunner>();
        services.TryAddSingleton<HostResolver>();
        services.AddSingleton<AddressPolicy>();
        services.AddSingleton<MediaHttpClient>();
        services.AddSingleton<MediaProxy>();
        services.AddSingleton<SourceUrlGuard>();
        services.AddSingleton<DemoMediaGenerator>();
        services.AddSingleton<VodPreparationProgress>();
        services.AddSingleton<DemoMediaCache>();
        services.AddSingleton<MediaSources>();
        services.AddSingleton<MediaProber>();
        services.AddSingleton<ClipQueue>();
        services.AddSingleton<ClipService>();
        services.AddSingleton<KeyframeProbe>();
        services.AddSingleton<HlsSegmentFetcher>();
        services.AddSingleton<ClipCutter>();
        services.AddSingleton<ClipWorker>();
        services.AddSingleton<ClipDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ClipDispatcher>());
        services.AddSingleton<VodMediaService>();
        services.AddSingleton<Terminal.Core.Clips.IVodRemoval>(sp => sp.GetRequiredService<VodMediaService>());
        services.AddSingleton<MediaPreparationQueue>();
        services.AddHostedService<VodPreparationService>();
        services.AddSingleton<ExpiredClipLeases>();
        services.AddHostedService<ClipRecoveryService>();

        quartz.AddJob<ClipRetentionJob>(j => j.WithIdentity(ClipRetentionJob.Key).StoreDurably().WithDescription("Deletes expired clips"));
        quartz.AddStandingTrigger(t => t.ForJob(ClipRetentionJob.Key).WithIdentity("clip-retention-trigger", ClipQueue.ClipGroup)
            .StartAt(DateTimeOffset.UtcNow.AddMinutes(1))
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(10)).RepeatForever()));
        quartz.AddJob<ClipLeaseRecoveryJob>(j => j.WithIdentity(ClipLeaseRecoveryJob.Key).StoreDurably().WithDescription("Takes back clips whose worker's lease lapsed and queues them again"));
        quartz.AddStandingTrigger(t => t.ForJob(ClipLeaseRecoveryJob.Key).WithIdentity("clip-lease-recovery-trigger", ClipQueue.ClipGroup)
            .StartAt(DateTimeOffset.UtcNow + ClipLeaseRecoveryJob.Interval)
            .WithSimpleSchedule(s => s.WithInterval(ClipLeaseRecoveryJob.Interval).RepeatForever()));
        quartz.AddJob<DemoMediaCleanupJob>(j => j.WithIdentity(DemoMediaCleanupJob.Key).StoreDurably().WithDescription("Keeps generated demo media within its LRU budget"));
        quartz.AddStandingTrigger(t => t.ForJob(DemoMediaCleanupJob.Key).WithIdentity("demo-media-cleanup-trigger", DemoMediaCleanupJob.Key.Group)
            .StartAt(DateTimeOffset.UtcNow.AddMinutes(2))
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(5)).RepeatForever()));
        quartz.AddJob<DemoPosterJob>(j => j.WithIdentity(DemoPosterJob.Key).StoreDurably().WithDescription("Makes posters of demo VODs before they are first opened"));
        quartz.AddStandingTrigger(t => t.ForJob(DemoPosterJob.Key).WithIdentity("demo-posters-trigger", ClipQueue.ClipGroup)
            .StartAt(DateTimeOffset.UtcNow.AddSeconds(30))
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(10)).RepeatForever()));
        return quartz;
    }

    private sealed class NullClipProgressNotifier : IClipProgressNotifier
    {
        public Task NotifyAsync(string userId, ClipProgress progress, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
