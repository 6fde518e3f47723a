using Microsoft.Extensions.Logging;
using Quartz;
using Terminal.Core.Clips;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>Deletes clips past their <see cref="ClipRequest.ExpiresAt"/> (the row stays, without a file) and stale temp files.</summary>
[DisallowConcurrentExecution]
public sealed class ClipRetentionJob(IClipRequests requests, MediaPaths paths, TimeProvider time, ILogger<ClipRetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("clip-retention", ClipQueue.ClipGroup);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await SweepAsync(cancellationToken);

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expired = await requests.ExpireOutputsAsync(now, cancellationToken);
        foreach (var file in expired)
        {
            File.Delete(Path.Combine(paths.ClipFolder, Path.GetFileName(file)));
        }

        foreach (var stale in Directory.EnumerateFiles(paths.ClipTempFolder))
        {
            if (File.GetLastWriteTimeUtc(stale) < now.AddDays(-1))
            {
                File.Delete(stale);
            }
        }

        if (expired.Count > 0)
        {
            logger.LogInformation("Deleted {Count} expired clip(s)", expired.Count);
        }

        return expired.Count;
    }
}
