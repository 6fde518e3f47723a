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
    MediaPreparationQueue queue,
    MediaSources sources,
    MediaProber prober,
    MediaPaths paths,
    TimeProvider time,
    IOptions<MediaOptions> options,
    ILogger<VodMediaService> logger,
    VodPreparationProgress progress,
    KeyframeProbe keyframes) : IVodRemoval
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
        var lastDay = await vods.RegisteredSinceAsync(userId, now.AddDays(-1), cancellationToken);
        if (lastDay >= options.Value.MaxVodsPerUserPerDay)
        {
            throw TerminalException.Conflict("vod_limit_reached",
                $"You registered {lastDay} VODs in the last 24 hours (at most {options.Value.MaxVodsPerUserPerDay}); try again later.");
        }

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
        await queue.EnqueueAsync(vod.Id, cancellationToken);
        return vod;
    }

    /// <summary>
    /// Deletes a VOD for its submitter or an admin (403 <c>not_vod_submitter</c> for anyone else; the demo
    /// market's and platform VODs have no submitter, so only admins delete them): 409 <c>vod_probing</c>
    /// while it is being probed and 409 <c>vod_clips_in_progress</c> while a clip of it is pending or
    /// running — cancel those first. Its finished clips, thumbnail strip and preview go with it.
    /// </summary>
    public async Task DeleteAsync(Guid vodId, string userId, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var vod = await vods.FindAsync(vodId, cancellationToken) ?? throw TerminalException.NotFound("vod_not_found", "No VOD has that id.");
        if (!isAdmin && vod.RegisteredByUserId != userId)
        {
            throw TerminalException.Forbidden("not_vod_submitter", "Only the user who registered this VOD, or an admin, can delete it.");
        }

        var deletion = await vods.DeleteAsync(vodId, cancellationToken);
        switch (deletion.Outcome)
        {
            case VodDeletionOutcome.NotFound:
                throw TerminalException.NotFound("vod_not_found", "No VOD has that id.");
            case VodDeletionOutcome.Probing:
                throw TerminalException.Conflict("vod_probing", "The VOD is still being probed; delete it once it is ready or failed.");
            case VodDeletionOutcome.ClipsInProgress:
                throw TerminalException.Conflict("vod_clips_in_progress", "Clips of this VOD are pending or running; cancel them first.");
        }

        foreach (var file in deletion.Files)
        {
            if (paths.Resolve(file) is { } full)
            {
                File.Delete(full);
                File.Delete(KeyframeProbe.IndexFileOf(full));
                if (full.EndsWith(".jpg", StringComparison.Ordinal))
                {
                    File.Delete(Path.ChangeExtension(full, ".poster.jpg"));
                }
            }
        }

        logger.LogInformation("VOD {VodId} deleted by {UserId} ({Files} file(s))", vodId, userId, deletion.Files.Count);
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
            await queue.EnqueueAsync(vodId, cancellationToken);
        }

        return false;
    }

    /// <summary>The probe (run by <see cref="VodPreparationService"/> off the media queue).</summary>
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
        progress.Report(vodId, vod.IsDemo ? "generating the demo video" : "reading the source", 0);
        try
        {
            input = await sources.ResolveAsync(vod, overall.Token);
            var info = await prober.ProbeAsync(input, overall.Token);
            progress.Report(vodId, "making thumbnails", vod.IsDemo ? VodPreparationProgress.GenerationShare : 0.3);
            var tiles = options.Value.ThumbnailTiles;
            var strip = Path.Combine(paths.ThumbnailFolder, $"{vodId:N}.jpg");
            await prober.MakeThumbnailStripAsync(input, info.DurationSeconds, tiles, strip, overall.Token);

            if (input.IsLocal && !await keyframes.IndexAsync(input, overall.Token))
            {
                // Only slower: the first exact cut of the VOD probes its window instead.
                logger.LogWarning("VOD {VodId}: its keyframe index could not be read", vodId);
            }

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
            progress.Finish(vodId);
            if (input is not null)
            {
                await input.DisposeAsync();
            }
        }
    }
}
