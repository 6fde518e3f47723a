using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>
/// VOD sources (SPEC §4 <c>POST /api/vods</c>): registration behind the SSRF guard, and the probe that
/// fills duration, resolution, codecs, the thumbnail strip and the player file — or marks the VOD
/// failed with a reason.
/// </summary>
public sealed class VodMediaService(
    IVods vods,
    SourceUrlGuard guard,
    ClipQueue queue,
    MediaSources sources,
    MediaProber prober,
    MediaPaths paths,
    TimeProvider time,
    IOptions<MediaOptions> options,
    ILogger<VodMediaService> logger)
{
    /// <summary>Registers a remote source for a creator and queues its probe.</summary>
    public async Task<Vod> RegisterAsync(string userId, int creatorId, string? title, string? sourceUrl, CancellationToken cancellationToken = default)
    {
        var cleanTitle = title?.Trim();
        if (string.IsNullOrEmpty(cleanTitle) || cleanTitle.Length > 256)
        {
            throw TerminalException.BadRequest("invalid_title", "title is required (at most 256 characters).");
        }

        var uri = await guard.CheckAsync(sourceUrl, cancellationToken);
        if (!await vods.CreatorExistsAsync(creatorId, cancellationToken))
        {
            throw TerminalException.NotFound("creator_not_found", "No creator has that id.");
        }

        // A user's sources wait on the shared media queue: cap how many one user can keep it busy with.
        var pending = await vods.PendingProbesOfAsync(userId, cancellationToken);
        if (pending >= options.Value.MaxPendingProbesPerUser)
        {
            throw TerminalException.Conflict("too_many_pending_vods",
                $"You have {pending} VODs still being probed (at most {options.Value.MaxPendingProbesPerUser}); wait for them to finish.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var vod = new Vod
        {
            Id = Guid.NewGuid(),
            CreatorId = creatorId,
            Title = cleanTitle,
            SourceUrl = uri.AbsoluteUri,
            Status = VodStatus.Probing,
            RegisteredByUserId = userId,
            PublishedAt = now,
            CreatedAt = now,
        };
        await vods.AddAsync(vod, cancellationToken);
        await queue.EnqueueProbeAsync(vod.Id, cancellationToken);
        return vod;
    }

    /// <summary>Queues the probe of a VOD whose media has not been prepared yet (demo VODs on first open). True when media is ready.</summary>
    public async Task<bool> EnsurePreparedAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        var media = await vods.FindMediaAsync(vodId, cancellationToken);
        if (media?.ProbedAt is not null)
        {
            return media.PlayerFile is not null;
        }

        var vod = await vods.FindAsync(vodId, cancellationToken);
        if (vod is not null && vod.Status != VodStatus.Failed)
        {
            await queue.EnqueueProbeAsync(vodId, cancellationToken);
        }

        return false;
    }

    /// <summary>The probe (run by <see cref="ProbeVodJob"/>).</summary>
    public async Task ProbeAsync(Guid vodId, CancellationToken cancellationToken)
    {
        var vod = await vods.FindAsync(vodId, cancellationToken);
        if (vod is null)
        {
            return;
        }

        // One overall limit for the whole preparation, so a trickling source cannot hold the media queue.
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(TimeSpan.FromSeconds(options.Value.PrepareTimeoutSeconds));
        MediaInput? input = null;
        try
        {
            input = await sources.ResolveAsync(vod, overall.Token);
            var info = await prober.ProbeAsync(input, overall.Token);
            var tiles = options.Value.ThumbnailTiles;
            var strip = Path.Combine(paths.ThumbnailFolder, $"{vodId:N}.jpg");
            await prober.MakeThumbnailStripAsync(input, info.DurationSeconds, tiles, strip, overall.Token);

            var duration = Math.Round(info.DurationSeconds, 3);
            await vods.RecordProbeAsync(vodId, new VodProbeResult(
                duration, info.Width, info.Height, info.VideoCodec, info.AudioCodec,
                info.FrameRate is { } fps ? Math.Round(fps, 3) : null, tiles, paths.Relative(strip),
                input.IsLocal ? paths.Relative(input.Url) : null, time.GetUtcNow().UtcDateTime), cancellationToken);
            logger.LogInformation("VOD {VodId} probed: {Duration} s {Width}x{Height} {Codec}", vodId, info.DurationSeconds, info.Width, info.Height, info.VideoCodec);

            if (!input.IsLocal)
            {
                // Browsers cannot play HLS natively and the CSP keeps media on our origin: serve a small MP4 preview.
                try
                {
                    var preview = Path.Combine(paths.PreviewFolder, $"{vodId:N}.mp4");
                    await prober.MakePreviewAsync(input, options.Value.PreviewHeight, duration, preview, overall.Token);
                    await vods.SetPlayerFileAsync(vodId, paths.Relative(preview), cancellationToken);
                }
                catch (Exception e) when (e is MediaException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // The VOD can still be cut; only the in-browser preview is missing.
                    logger.LogWarning("Preview of VOD {VodId} failed: {Error}", vodId, (e as MediaException)?.Detail ?? "time limit");
                }
            }
        }
        catch (Exception e) when (e is MediaException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = e is MediaException m ? m.Message : input?.Explain(MediaFailure.TooSlow) ?? MediaFailure.TooSlow;
            reason = reason.Length > 1000 ? reason[..1000] : reason;
            await vods.RecordProbeFailureAsync(vodId, reason, time.GetUtcNow().UtcDateTime, CancellationToken.None);
            logger.LogWarning("VOD {VodId} failed: {Reason} ({Detail})", vodId, reason, (e as MediaException)?.Detail ?? "preparation time limit");
        }
        finally
        {
            if (input is not null)
            {
                await input.DisposeAsync();
            }
        }
    }
}
