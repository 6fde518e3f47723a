using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Core.Secrets;
using Terminal.Jobs.LinkedAccounts;

namespace Terminal.Jobs.RealMarket;

/// <summary>
/// One poll of the monitored Instagram handles through Business Discovery (SPEC §9): one call per handle,
/// least recently read first. A creator's reading is its <c>followers_count</c>; a clipper's media are
/// clips attributed like YouTube uploads, read with the likes and comments Instagram served (Business
/// Discovery serves no view counts, so none is written). The run watches the
/// <c>X-Business-Use-Case-Usage</c> header after every call: it stops calling at
/// <see cref="InstagramMarketOptions.StopAtPercent"/>, stretches the next interval past
/// <see cref="InstagramMarketOptions.SlowDownAtPercent"/>, and makes no call before Meta's
/// <c>estimated_time_to_regain_access</c>. A refused token (code 190) marks the source invalid.
/// </summary>
public sealed class InstagramMarketPoller(
    InstagramGraphApi api,
    InstagramUsageGauge gauge,
    IMarketSourceStore sources,
    ISecretStore secrets,
    IMarketStore market,
    IMarketFeed feed,
    MarketStatus status,
    IOptions<InstagramMarketOptions> options,
    ILogger<InstagramMarketPoller> logger) : IMarketPoller, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>The stored access token; null when the source is not configured.</summary>
    public async Task<string?> TokenAsync(SourceState state, CancellationToken cancellationToken) =>
        state.SecretReference is { } reference && state.AccountId is not null ? await secrets.GetAsync(reference, cancellationToken) : null;

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

    /// <summary>
    /// The planner: the configured interval below the slow-down mark; twice it (at least) between the
    /// slow-down and stop marks; at the stop mark at least an hour, the window Meta's usage is counted over.
    /// </summary>
    public static TimeSpan PlanInterval(InstagramMarketOptions settings, int usagePercent)
    {
        var configured = TimeSpan.FromSeconds(settings.PollIntervalSeconds);
        if (usagePercent >= settings.StopAtPercent)
        {
            return configured > TimeSpan.FromHours(1) ? configured : TimeSpan.FromHours(1);
        }

        return usagePercent >= settings.SlowDownAtPercent ? configured * 2 : configured;
    }

    private async Task<PollOutcome> PollCoreAsync(DateTime now, bool force, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var state = await sources.GetStateAsync(Platform.Instagram, cancellationToken);
        var token = await TokenAsync(state, cancellationToken);
        if (token is null || state.AccountId is not { } accountId)
        {
            return new PollOutcome("no Instagram business account: source unconfigured", 0, 0, 0, 0);
        }

        if (state.Status is SourceStatus.Invalid or SourceStatus.Paused)
        {
            return new PollOutcome($"source {state.Status.ToString().ToLowerInvariant()}: no call made", 0, 0, 0, 0);
        }

        if (state.BlockedUntil is { } blocked && now < blocked)
        {
            return new PollOutcome($"rate limited: no call until {blocked:O}", 0, 0, 0, 0);
        }

        if (!force && state.NextPollAt is { } due && now < due)
        {
            return new PollOutcome($"not due before {due:O}", 0, 0, 0, 0);
        }

        var channels = (await sources.GetChannelsAsync(Platform.Instagram, activeOnly: true, cancellationToken))
            .OrderBy(c => c.LastUploadsAt ?? DateTime.MinValue).ThenBy(c => c.Id).ToList();
        if (channels.Count == 0)
        {
            return new PollOutcome("no monitored handle", 0, 0, 0, 0);
        }

        var candidates = channels.Where(c => c.Role == ChannelRole.Creator).Select(c => new AttributionCandidate(c.EntityId, c.Handle, c.ExternalId)).ToList();
        var known = (await sources.GetVideosAsync(Platform.Instagram, cancellationToken)).ToDictionary(v => v.VideoId);
        var snapshots = new List<MetricSnapshot>();
        var newClips = new List<MarketClip>();
        var calls = 0;
        var errors = 0;
        string? error = null;
        var read = 0;
        state = state with { Status = SourceStatus.Valid, Reason = null, BlockedUntil = null };
        // A reading left by an earlier run is an hour-window share that has since decayed: only this run's count.
        var readingsBefore = gauge.Version;
        InstagramUsage? RunUsage() => gauge.Version != readingsBefore ? gauge.Latest.Usage : null;
        try
        {
            foreach (var channel in channels)
            {
                if (RunUsage() is { } usage && usage.Percent >= settings.StopAtPercent)
                {
                    error = $"usage at {usage.Percent}% of the Business Use Case limit: {channels.Count - read} handles left for the next run";
                    break;
                }

                calls++;
                var account = await api.DiscoverAsync(accountId, token, channel.Handle, cancellationToken);
                read++;
                if (account is null)
                {
                    errors++;
                    error = $"@{channel.Handle} is no longer a business or creator account";
                    continue;
                }

                await sources.UpdateChannelAsync(channel.Id, account.MediaCount, now, cancellationToken);
                if (channel.Role == ChannelRole.Creator)
                {
                    snapshots.Add(new MetricSnapshot { Kind = EntityKind.Creator, EntityId = channel.EntityId, At = now, Followers = account.FollowersCount });
                    continue;
                }

                await ReadClipperMediaAsync(channel, account, known, candidates, snapshots, newClips, now, cancellationToken);
            }
        }
        catch (InstagramTokenInvalidException ex)
        {
            state = state with { Status = SourceStatus.Invalid, Reason = ex.Message };
            error = "invalid token";
            errors++;
            logger.LogWarning("Instagram refused the market token: {Reason}", ex.Message);
        }
        catch (InstagramThrottledException ex)
        {
            var until = now + ex.RegainAccessIn;
            state = state with { Status = SourceStatus.QuotaExceeded, Reason = "Business Use Case rate limit reached", BlockedUntil = until };
            error = "rate limited";
            errors++;
            logger.LogWarning("Instagram throttled the market account; no call until {Until:O}", until);
        }
        catch (Exception ex) when (PlatformFailures.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            error = "platform unreachable after retries";
            errors++;
            logger.LogWarning(ex, "Instagram poll failed after retries; what was fetched is kept");
        }

        // Meta says when access comes back even before it refuses a call: honour it.
        var latest = RunUsage();
        if (latest is { RegainAccessMinutes: > 0 } && state.Status != SourceStatus.Invalid)
        {
            var until = now + TimeSpan.FromMinutes(latest.RegainAccessMinutes);
            state = state with { Status = SourceStatus.QuotaExceeded, Reason = "Business Use Case rate limit reached", BlockedUntil = until > state.BlockedUntil ? until : state.BlockedUntil };
        }

        var records = await PublishAsync(snapshots, newClips, now, cancellationToken);
        state = state with { LastRunAt = now, LastError = error, NextPollAt = now + PlanInterval(settings, latest?.Percent ?? 0) };
        await sources.SaveStateAsync(state, cancellationToken);
        await sources.RecordRunAsync(new SourceRun(Platform.Instagram, now, DateTime.UtcNow < now ? now : DateTime.UtcNow, calls, calls, records, errors, error), cancellationToken);
        return new PollOutcome(
            error is null ? $"{read} handles, {records} snapshots, {calls} calls" : $"{error}: {records} snapshots kept, {calls} calls",
            calls, calls, records, errors);
    }

    private async Task ReadClipperMediaAsync(
        MonitoredChannel channel, InstagramAccount account, Dictionary<string, TrackedVideo> known, List<AttributionCandidate> candidates,
        List<MetricSnapshot> snapshots, List<MarketClip> newClips, DateTime now, CancellationToken ct)
    {
        var updates = new List<TrackedVideo>();
        var toCreate = new List<NewClip>();
        foreach (var media in account.Media)
        {
            var previous = known.GetValueOrDefault(media.Id);
            var title = media.Caption.Length == 0 ? $"@{account.Username} {media.MediaProductType ?? media.MediaType ?? "post"}" : media.Caption.Split('\n')[0];
            var next = new TrackedVideo
            {
                VideoId = media.Id,
                ChannelId = channel.Id,
                Role = ChannelRole.Clipper,
                PublishedAt = media.Timestamp,
                ClipId = previous?.ClipId,
                LastViews = media.LikeCount, // the movement signal Instagram serves
                LastChangedAt = previous is null || previous.LastViews != media.LikeCount ? now : previous.LastChangedAt,
                Attribution = previous?.Attribution,
                Title = title,
            };
            if (previous is null)
            {
                var (creatorId, reason) = ClipAttribution.Attribute(title, media.Caption, channel.CreatorIds, candidates);
                next = next with { Attribution = reason };
                if (creatorId is { } creator)
                {
                    toCreate.Add(new NewClip(media.Id, channel.Id, title, creator, channel.EntityId, media.Timestamp, reason));
                }
            }

            updates.Add(next);
            known[media.Id] = next;
        }

        await sources.SaveVideosAsync(updates, ct);
        var clipIds = updates.Where(u => u.ClipId is not null).ToDictionary(u => u.VideoId, u => u.ClipId!.Value);
        var created = await sources.AddClipsAsync(toCreate, ct);
        for (var i = 0; i < created.Count; i++)
        {
            newClips.Add(created[i]);
            clipIds[toCreate[i].VideoId] = created[i].Id;
            known[toCreate[i].VideoId] = known[toCreate[i].VideoId] with { ClipId = created[i].Id };
        }

        foreach (var media in account.Media.Where(m => clipIds.ContainsKey(m.Id)))
        {
            snapshots.Add(new MetricSnapshot { Kind = EntityKind.Clip, EntityId = clipIds[media.Id], At = now, Likes = media.LikeCount, Comments = media.CommentsCount });
        }
    }

    private async Task<int> PublishAsync(List<MetricSnapshot> snapshots, List<MarketClip> newClips, DateTime now, CancellationToken ct)
    {
        if (snapshots.Count == 0 && newClips.Count == 0)
        {
            return 0;
        }

        await market.InsertSnapshotsAsync(snapshots, ct);
        feed.Publish(new MarketUpdate(now, snapshots) { Entities = newClips.Select(EntityInfo.Of).ToArray() });
        if (!status.IsDemo)
        {
            status.MarkTick(now);
            if (status.State != FeedState.Live)
            {
                status.SetState(FeedState.Live);
            }
        }

        return snapshots.Count;
    }
}
