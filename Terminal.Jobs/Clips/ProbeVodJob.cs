using Quartz;

namespace Terminal.Jobs.Clips;

/// <summary>Probes one VOD (ffprobe, thumbnail strip, player file); see <see cref="VodMediaService.ProbeAsync"/>.</summary>
public sealed class ProbeVodJob(VodMediaService vods) : IJob
{
    public const string VodIdKey = "vodId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(context.MergedJobDataMap.GetString(VodIdKey), out var vodId))
        {
            await vods.ProbeAsync(vodId, cancellationToken);
        }
    }
}
