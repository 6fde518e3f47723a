using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;
using Terminal.Core.Clips;
using Terminal.Data;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>Deletes clips past their <see cref="ClipRequest.ExpiresAt"/> (the row stays, without a file) and stale temp files.</summary>
[DisallowConcurrentExecution]
public sealed class ClipRetentionJob(IDbContextFactory<TerminalDbContext> dbFactory, MediaPaths paths, TimeProvider time, ILogger<ClipRetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("clip-retention", ClipQueue.ClipGroup);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await SweepAsync(cancellationToken);

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var expired = await db.ClipRequests.Where(c => c.OutputFile != null && c.ExpiresAt != null && c.ExpiresAt <= now).ToListAsync(cancellationToken);
        foreach (var clip in expired)
        {
            File.Delete(Path.Combine(paths.ClipFolder, Path.GetFileName(clip.OutputFile!)));
            clip.OutputFile = null;
            clip.OutputBytes = null;
        }

        await db.SaveChangesAsync(cancellationToken);

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
