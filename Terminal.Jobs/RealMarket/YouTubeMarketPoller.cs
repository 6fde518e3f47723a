using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Core.Secrets;
using Terminal.Jobs.LinkedAccounts;

namespace Terminal.Jobs.RealMarket;

/// <summary>What one poll did (the job's result line and ADMIN's run row).</summary>
public sealed record PollOutcome(string Result, int Calls, int Units, int Records, int Errors);

/// <summary>
/// One poll of the public YouTube market (SPEC §9): channel statistics in batches of 50; each channel's
/// newest uploads only when its <c>videoCount</c> changed or the daily sweep is due; statistics of the
/// videos still moving (young, live, or views moved in two days) in batches of 50. Every answer becomes
/// snapshots through the same market feed as the demo. The ledger counts each call's units against the
/// Pacific day; a planner stretches the interval to keep the day within the quota; <c>quotaExceeded</c>
/// stops every call until Google's reset; an invalid key marks the source invalid. What was fetched
/// before a fault is stored and published all the same.
/// </summary>
public sealed class YouTubeMarketPoller(
    YouTubeDataApi api,
    YouTubeQuotaMeter meter,
    IMarketSourceStore sources,
    ISecretStore secrets,
    IMarketStore market,
    IMarketFeed feed,
    MarketStatus status,
    IOptions<YouTubeMarketOptions> options,
    IEnumerable<IAlertEvents> alertEvents,
    ILogger<YouTubeMarketPoller> logger) : IMarketPoller, IDisposable
{
    private static readonly TimeSpan StillMoving = TimeSpan.FromHours(48);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>Live starts and new VODs go to the alert rules (SPEC §11); a failing alert path never fails the poll.</summary>
    private async Task PublishAlertsAsync(IEnumerable<CreatorEvent> events, CancellationToken cancellationToken)
    {
        foreach (var creatorEvent in events)
        {
            foreach (var sink in alertEvents)
            {
                try
                {
                    await sink.PublishAsync(creatorEvent, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Alert event {Kind} of creator {CreatorId} was not published", creatorEvent.Kind, creatorEvent.CreatorId);
                }
            }
        }
    }

    /// <summary>The key in force: the stored one, else <c>Terminal:Market:YouTube:ApiKey</c>; null when none.</summary>
    public async Task<string?> KeyAsync(SourceState state, CancellationToken cancellationToken) =>
        state.SecretReference is { } reference
            ? await secrets.GetAsync(reference, cancellationToken)
            : string.IsNullOrWhiteSpace(options.Value.ApiKey) ? null : options.Value.ApiKey.Trim();

    /// <summary>Runs one poll if one is due at <paramref name="now"/>; <paramref name="force"/> ignores the planner.</summary>
    public async Task<PollOutcome> PollAsync(DateTime now, bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await PollCoreAsync(now, force, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Charges what the meter counted to the ledger of the Pacific day of <paramref name="now"/>.</summary>
    public async Task<int> ChargeAsync(DateTime now, CancellationToken cancellationToken)
    {
        var units = meter.TakeUnits();
        return units == 0
            ? (await sources.GetStateAsync(Platform.YouTube, cancellationToken)) is var s && s.QuotaDay == PacificQuotaDay.Of(now) ? s.QuotaUsed : 0
            : await sources.ChargeQuotaAsync(Platform.YouTube, PacificQuotaDay.Of(now), units, cancellationToken);
    }

    private async Task<PollOutcome> PollCoreAsync(DateTime now, bool force, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var state = await sources.GetStateAsync(Platform.YouTube, cancellationToken);
        var key = await KeyAsync(state, cancellationToken);
        if (key is null)
        {
            return new PollOutcome("no YouTube key: source unconfigured", 0, 0, 0, 0);
        }

        if (state.Status is SourceStatus.Invalid or SourceStatus.Paused)
        {
            return new PollOutcome($"source {state.Status.ToString().ToLowerInvariant()}: no call made", 0, 0, 0, 0);
        }

        if (state.BlockedUntil is { } blocked && now < blocked)
        {
            return new PollOutcome($"quota exceeded: no call until {blocked:O}", 0, 0, 0, 0);
        }

        if (state.Status == SourceStatus.QuotaExceeded)
        {
            state = state with { Status = SourceStatus.Valid, Reason = null, BlockedUntil = null };
        }

        if (!force && state.NextPollAt is { } due && now < due)
        {
            return new PollOutcome($"not due before {due:O}", 0, 0, 0, 0);
        }

        var channels = await sources.GetChannelsAsync(Platform.YouTube, activeOnly: true, cancellationToken);
        if (channels.Count == 0)
        {
            return new PollOutcome("no monitored channel", 0, 0, 0, 0);
        }

        meter.TakeUnits(); // anything counted outside a poll was charged by its caller
        var callsBefore = meter.Calls;
        var work = new PollWork(now);
        string? error = null;
        var errors = 0;
        try
        {
            await PollChannelsAsync(key, channels, work, cancellationToken);
            await PollUploadsAsync(key, channels, work, cancellationToken);
            await PollVideosAsync(key, channels, work, now, settings, cancellationToken);
            state = state with { Status = SourceStatus.Valid, Reason = null, LastError = null };
        }
        catch (YouTubeQuotaExceededException ex)
        {
            var reset = PacificQuotaDay.NextReset(now);
            state = state with { Status = SourceStatus.QuotaExceeded, Reason = "quota exceeded until the Pacific-time reset", BlockedUntil = reset, LastError = ex.Message };
            error = "quotaExceeded";
            errors++;
            logger.LogWarning("YouTube quota exceeded; no call until {Reset:O}", reset);
        }
        catch (YouTubeKeyInvalidException ex)
        {
            state = state with { Status = SourceStatus.Invalid, Reason = ex.Message, LastError = ex.Message };
            error = "invalid key";
            errors++;
            logger.LogWarning("YouTube refused the market key: {Reason}", ex.Message);
        }
        catch (Exception ex) when (PlatformFailures.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            state = state with { LastError = ex.Message };
            error = "platform unreachable after retries";
            errors++;
            logger.LogWarning(ex, "YouTube poll failed after retries; what was fetched is kept");
        }

        // Nothing fetched is lost: the readings taken before a fault are stored and published too.
        var records = await PublishAsync(work, now, cancellationToken);
        var units = meter.TakeUnits();
        var used = units > 0 ? await sources.ChargeQuotaAsync(Platform.YouTube, PacificQuotaDay.Of(now), units, cancellationToken) : state.QuotaUsed;
        var calls = meter.Calls - callsBefore;
        state = state with { LastRunAt = now, NextPollAt = now + PlanInterval(settings, now, units, used) };
        await sources.SaveStateAsync(state, cancellationToken);
        await sources.RecordRunAsync(new SourceRun(Platform.YouTube, now, DateTime.UtcNow < now ? now : DateTime.UtcNow, calls, units, records, errors, error), cancellationToken);
        return new PollOutcome(
            error is null ? $"{channels.Count} channels, {records} snapshots, {calls} calls, {units} units" : $"{error}: {records} snapshots kept, {calls} calls",
            calls, units, records, errors);
    }

    /// <summary>
    /// The planner: the configured interval, stretched so that at this run's cost the rest of the Pacific
    /// day fits in the planned share of the quota left.
    /// </summary>
    public static TimeSpan PlanInterval(YouTubeMarketOptions settings, DateTime now, int unitsPerRun, int usedToday)
    {
        var configured = TimeSpan.FromSeconds(settings.StatsIntervalSeconds);
        if (unitsPerRun <= 0)
        {
            return configured;
        }

        var left = PacificQuotaDay.NextReset(now) - now;
        var budget = Math.Max(1, (settings.DailyQuota * settings.PlannedShare) - usedToday);
        var runsAffordable = budget / unitsPerRun;
        var planned = TimeSpan.FromSeconds(left.TotalSeconds / Math.Max(runsAffordable, 1e-9));
        return planned > configured ? planned : configured;
    }

    private async Task PollChannelsAsync(string key, IReadOnlyList<MonitoredChannel> channels, PollWork work, CancellationToken ct)
    {
        foreach (var batch in channels.Chunk(YouTubeDataApi.MaxIdsPerCall))
        {
            var served = await api.ChannelsAsync(key, batch.Select(c => c.ExternalId).ToList(), ct);
            foreach (var item in served)
            {
                var channel = batch.FirstOrDefault(c => c.ExternalId == item.Id);
                if (channel is null)
                {
                    continue; // not asked for: never stored
                }

                work.Channels[channel.Id] = item;
                if (channel.Role == ChannelRole.Creator)
                {
                    work.Snapshots.Add(new MetricSnapshot
                    {
                        Kind = EntityKind.Creator,
                        EntityId = channel.EntityId,
                        At = work.Now,
                        Views = item.ViewCount,
                        Followers = item.SubscriberCount,
                    });
                }
            }
        }
    }

    private async Task PollUploadsAsync(string key, IReadOnlyList<MonitoredChannel> channels, PollWork work, CancellationToken ct)
    {
        var sweep = TimeSpan.FromHours(options.Value.UploadsSweepHours);
        var tracked = (await sources.GetVideosAsync(Platform.YouTube, ct)).Select(v => v.VideoId).ToHashSet();
        foreach (var channel in channels)
        {
            if (!work.Channels.TryGetValue(channel.Id, out var served))
            {
                continue;
            }

            var changed = channel.LastVideoCount != served.VideoCount;
            var sweepDue = channel.LastUploadsAt is not { } last || work.Now - last >= sweep;
            var playlist = served.UploadsPlaylistId ?? channel.UploadsPlaylistId;
            if ((!changed && !sweepDue) || playlist is null)
            {
                continue;
            }

            var ids = await api.RecentUploadsAsync(key, playlist, ct);
            foreach (var id in ids.Where(id => !tracked.Contains(id)))
            {
                work.NewVideos[id] = channel;
            }

            await sources.UpdateChannelAsync(channel.Id, served.VideoCount, work.Now, ct);
        }
    }

    private async Task PollVideosAsync(string key, IReadOnlyList<MonitoredChannel> channels, PollWork work, DateTime now, YouTubeMarketOptions settings, CancellationToken ct)
    {
        var byId = channels.ToDictionary(c => c.Id);
        var known = await sources.GetVideosAsync(Platform.YouTube, ct);
        var moving = known
            .Where(v => byId.ContainsKey(v.ChannelId) && v.VodId is null)
            .Where(v => v.Live || now - v.PublishedAt <= TimeSpan.FromDays(settings.MovingDays) || (v.LastChangedAt is { } moved && now - moved <= StillMoving))
            .ToDictionary(v => v.VideoId);
        var ids = moving.Keys.Concat(work.NewVideos.Keys).Distinct().ToList();
        var candidates = channels.Where(c => c.Role == ChannelRole.Creator)
            .Select(c => new AttributionCandidate(c.EntityId, c.Handle, c.ExternalId)).ToList();
        foreach (var batch in ids.Chunk(YouTubeDataApi.MaxIdsPerCall))
        {
            var served = await api.VideosAsync(key, batch, ct);
            var updates = new List<TrackedVideo>();
            var newClips = new List<NewClip>();
            var ended = new List<EndedLive>();
            var started = new List<CreatorEvent>();
            foreach (var video in served)
            {
                var previous = moving.GetValueOrDefault(video.Id);
                var channel = previous is not null ? byId[previous.ChannelId] : work.NewVideos.GetValueOrDefault(video.Id);
                if (channel is null)
                {
                    continue; // not asked for: never stored
                }

                var isLive = video.LiveBroadcastContent == "live" && video.ActualEndTime is null;
                var next = new TrackedVideo
                {
                    VideoId = video.Id,
                    ChannelId = channel.Id,
                    Role = channel.Role,
                    PublishedAt = video.PublishedAt,
                    ClipId = previous?.ClipId,
                    VodId = previous?.VodId,
                    Live = isLive,
                    ConcurrentViewers = isLive ? video.ConcurrentViewers : null,
                    LastViews = video.ViewCount,
                    LastChangedAt = previous is null || previous.LastViews != video.ViewCount ? now : previous.LastChangedAt,
                    Attribution = previous?.Attribution,
                    Title = video.Title,
                    LiveStartedAt = video.ActualStartTime,
                };

                if (channel.Role == ChannelRole.Clipper && next.ClipId is null && previous is null)
                {
                    var (creatorId, reason) = ClipAttribution.Attribute(video.Title, video.Description, channel.CreatorIds, candidates);
                    next = next with { Attribution = reason };
                    if (creatorId is { } creator)
                    {
                        newClips.Add(new NewClip(video.Id, channel.Id, video.Title, creator, channel.EntityId, video.PublishedAt, reason));
                    }
                }

                if (channel.Role == ChannelRole.Creator && isLive && previous is not { Live: true })
                {
                    started.Add(new CreatorEvent(AlertKind.LiveStart, channel.EntityId, video.Id, $"{channel.Handle} went live: {video.Title}", now));
                }

                if (channel.Role == ChannelRole.Creator && video.ActualEndTime is { } end && video.ActualStartTime is { } start && next.VodId is null)
                {
                    ended.Add(new EndedLive(video.Id, channel.EntityId, video.Title, start, Math.Max(0, (end - start).TotalSeconds),
                        "https://www.youtube.com/watch?v=" + video.Id, video.ThumbnailUrl));
                }

                updates.Add(next);
                work.VideoStats[video.Id] = video;
            }

            await sources.SaveVideosAsync(updates, ct);
            // Clip readings: the attributed uploads (old and new) with the numbers YouTube served.
            var clipIds = updates.Where(u => u.ClipId is not null).ToDictionary(u => u.VideoId, u => u.ClipId!.Value);
            var created = await sources.AddClipsAsync(newClips, ct); // same order as asked
            for (var i = 0; i < created.Count; i++)
            {
                work.NewClips.Add(created[i]);
                clipIds[newClips[i].VideoId] = created[i].Id;
            }

            var vods = await sources.AddEndedLivesAsync(ended, now, ct);
            await PublishAlertsAsync(started.Concat(vods.Select(v => new CreatorEvent(AlertKind.NewVod, v.CreatorId, v.Id.ToString("N"), $"New VOD: {v.Title}", now))), ct);

            foreach (var (videoId, clipId) in clipIds)
            {
                var stats = work.VideoStats[videoId];
                work.Snapshots.Add(new MetricSnapshot
                {
                    Kind = EntityKind.Clip,
                    EntityId = clipId,
                    At = now,
                    Views = stats.ViewCount,
                    Likes = stats.LikeCount,
                    Comments = stats.CommentCount,
                });
            }
        }
    }

    private async Task<int> PublishAsync(PollWork work, DateTime now, CancellationToken ct)
    {
        if (work.Snapshots.Count == 0 && work.NewClips.Count == 0)
        {
            return 0;
        }

        await market.InsertSnapshotsAsync(work.Snapshots, ct);
        feed.Publish(new MarketUpdate(now, work.Snapshots) { Entities = work.NewClips.Select(EntityInfo.Of).ToArray() });
        if (!status.IsDemo)
        {
            status.MarkTick(now);
            if (status.State != FeedState.Live)
            {
                status.SetState(FeedState.Live);
            }
        }

        return work.Snapshots.Count;
    }

    private sealed class PollWork(DateTime now)
    {
        public DateTime Now { get; } = now;

        public Dictionary<int, YouTubeChannel> Channels { get; } = [];

        public Dictionary<string, MonitoredChannel> NewVideos { get; } = [];

        public Dictionary<string, YouTubeVideo> VideoStats { get; } = [];

        public List<MetricSnapshot> Snapshots { get; } = [];

        public List<MarketClip> NewClips { get; } = [];
    }
}
