using Microsoft.Extensions.Logging;
using Quartz;
using Terminal.Core.Clips;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>
/// Gives demo VODs a poster before anyone opens them (issue #16: "thumbnails exist before a VOD is
/// first opened"). Generating a demo video takes tens of seconds; its first frame does not need it:
/// the same pattern is rendered once at poster size through <see cref="FfmpegRunner"/>. Opening the VOD
/// later makes the real strip, from which the poster is made again.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DemoPosterJob(IVods vods, DemoMediaGenerator demo, ILogger<DemoPosterJob> logger) : IJob
{
    public static readonly JobKey Key = new("demo-posters", ClipQueue.ClipGroup);

    /// <summary>Most posters made per run, so one run stays short on a small machine.</summary>
    public const int BatchSize = 100;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await RunAsync(cancellationToken);

    /// <summary>Makes the missing posters of the newest demo VODs; returns how many were made.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var made = 0;
        foreach (var vod in await vods.ListAsync(creatorId: null, since: null, 500, cancellationToken))
        {
            if (made >= BatchSize)
            {
                break;
            }

            if (!vod.IsDemo || File.Exists(demo.PosterPathFor(vod.Id)))
            {
                continue;
            }

            try
            {
                await demo.MakePosterAsync(vod.Id, cancellationToken);
                made++;
            }
            catch (MediaException e)
            {
                logger.LogWarning("Poster of demo VOD {VodId} failed: {Detail}", vod.Id, e.Detail);
            }
        }

        if (made > 0)
        {
            logger.LogInformation("Made {Count} demo VOD poster(s)", made);
        }

        return made;
    }
}
