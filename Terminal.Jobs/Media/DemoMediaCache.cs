using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Terminal.Core.Clips;

namespace Terminal.Jobs.Media;

/// <summary>
/// Keeps generated demo media within <see cref="MediaOptions.DemoCacheBudgetMb"/>: a demo VOD's file
/// (<c>media/demo/{id}.mp4</c>) with its thumbnail strip and poster is one unit, used last when any of
/// them was last read or written; past the budget the least recently used units are deleted and their
/// media rows forgotten, so the next open generates them again. Never evicted: a VOD being generated,
/// one with a clip pending or running, and anything used within <see cref="MediaOptions.DemoCacheGraceMinutes"/>
/// (it may be streaming right now).
/// </summary>
public sealed class DemoMediaCache(
    MediaPaths paths,
    DemoMediaGenerator generator,
    IVods vods,
    TimeProvider time,
    IOptions<MediaOptions> options,
    ILogger<DemoMediaCache> logger)
{
    /// <summary>One eviction pass; returns the VODs whose media was deleted.</summary>
    public async Task<IReadOnlyList<Guid>> CleanAsync(CancellationToken cancellationToken)
    {
        var units = Directory.EnumerateFiles(paths.DemoFolder, "*.mp4")
            .Select(f => Guid.TryParseExact(Path.GetFileNameWithoutExtension(f), "N", out var id) ? Unit(id, f) : null)
            .OfType<CacheUnit>()
            .ToList();
        var budget = (long)options.Value.DemoCacheBudgetMb << 20;
        var total = units.Sum(u => u.Bytes);
        if (total <= budget)
        {
            return [];
        }

        var busy = await vods.WithClipsInProgressAsync(units.Select(u => u.VodId).ToList(), cancellationToken);
        var graceStart = time.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(options.Value.DemoCacheGraceMinutes);
        var evicted = new List<Guid>();
        foreach (var unit in units.OrderBy(u => u.LastUsed))
        {
            if (total <= budget)
            {
                break;
            }

            if (busy.Contains(unit.VodId) || unit.LastUsed > graceStart || generator.IsGenerating(unit.VodId))
            {
                continue;
            }

            foreach (var file in unit.Files)
            {
                File.Delete(file);
            }

            total -= unit.Bytes;
            evicted.Add(unit.VodId);
        }

        if (evicted.Count > 0)
        {
            await vods.ForgetMediaAsync(evicted, cancellationToken);
            logger.LogInformation("Demo media cache: {Count} VOD(s) evicted, {Total} MB kept (budget {Budget} MB)", evicted.Count, total >> 20, budget >> 20);
        }
        else
        {
            logger.LogWarning("Demo media cache is {Total} MB over a {Budget} MB budget, but everything is in use", total >> 20, budget >> 20);
        }

        return evicted;
    }

    private CacheUnit Unit(Guid vodId, string demoFile)
    {
        var strip = Path.Combine(paths.ThumbnailFolder, $"{vodId:N}.jpg");
        var files = new[] { demoFile, strip, Path.ChangeExtension(strip, ".poster.jpg") }.Where(File.Exists).ToList();
        var infos = files.Select(f => new FileInfo(f)).ToList();
        return new CacheUnit(vodId, files, infos.Sum(i => i.Length), infos.Max(i => i.LastAccessTimeUtc > i.LastWriteTimeUtc ? i.LastAccessTimeUtc : i.LastWriteTimeUtc));
    }

    private sealed record CacheUnit(Guid VodId, IReadOnlyList<string> Files, long Bytes, DateTime LastUsed);
}

/// <summary>Runs <see cref="DemoMediaCache.CleanAsync"/> every few minutes.</summary>
[DisallowConcurrentExecution]
public sealed class DemoMediaCleanupJob(DemoMediaCache cache) : IJob
{
    public static readonly JobKey Key = new("demo-media-cleanup", "media");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await cache.CleanAsync(cancellationToken);
}
