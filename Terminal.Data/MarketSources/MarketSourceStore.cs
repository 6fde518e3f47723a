using System.Data;
using System.Globalization;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;

namespace Terminal.Data.MarketSources;

/// <summary>
/// The monitored universe (SPEC §9): sources, channels, followed videos and runs, and the market rows
/// (creators, clippers, clips, VODs) that real channels become. Real entities take ids from their own
/// ranges so that they never collide with the demo market's (which numbers from 1 and may start later).
/// </summary>
public sealed class MarketSourceStore(TerminalDatabase database) : IMarketSourceStore
{
    // Units of work that write more than one row run through TerminalDatabase.InTransactionAsync (the
    // provider's execution strategy around a transaction on a fresh context); single reads and single
    // SaveChanges use a plain context.
    /// <summary>First id of real creators, topics and clipper accounts.</summary>
    public const int LiveEntityIdBase = 1_000_000;

    /// <summary>First id of real clips (the demo numbers its clips upwards from 1).</summary>
    public const int LiveClipIdBase = 1_500_000_000;

    public async Task<SourceState> GetStateAsync(Platform platform, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.MarketSources.AsNoTracking().FirstOrDefaultAsync(s => s.Platform == platform, cancellationToken);
        return row is null ? new SourceState { Platform = platform } : ToState(row);
    }

    public async Task SaveStateAsync(SourceState state, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.MarketSources.FirstOrDefaultAsync(s => s.Platform == state.Platform, cancellationToken);
        if (row is null)
        {
            row = new MarketSourceRow { Platform = state.Platform };
            db.MarketSources.Add(row);
        }

        row.Status = state.Status;
        row.Reason = Clip(state.Reason, 512);
        row.SecretReference = state.SecretReference;
        row.KeyHint = state.KeyHint;
        row.AccountId = state.AccountId;
        row.BlockedUntil = state.BlockedUntil;
        row.LastRunAt = state.LastRunAt;
        row.LastError = Clip(state.LastError, 512);
        row.NextPollAt = state.NextPollAt;
        // The ledger itself (QuotaDay/QuotaUsed) only moves through ChargeQuotaAsync: a save never rewinds it.
        if (row.QuotaDay.Length == 0)
        {
            row.QuotaDay = state.QuotaDay;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<int> ChargeQuotaAsync(Platform platform, string pacificDay, int units, CancellationToken cancellationToken = default) =>
        // Serializable: two charges racing must add up, never overwrite each other's units.
        database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            var row = await db.MarketSources.FirstOrDefaultAsync(s => s.Platform == platform, ct);
            if (row is null)
            {
                row = new MarketSourceRow { Platform = platform };
                db.MarketSources.Add(row);
            }

            if (row.QuotaDay != pacificDay)
            {
                row.QuotaDay = pacificDay;
                row.QuotaUsed = 0;
            }

            row.QuotaUsed += units;
            await db.SaveChangesAsync(ct);
            return row.QuotaUsed;
        }, cancellationToken);

    public async Task<IReadOnlyList<MonitoredChannel>> GetChannelsAsync(Platform platform, bool activeOnly, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.MonitoredChannels.AsNoTracking()
            .Where(c => c.Platform == platform && (!activeOnly || c.Active))
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        return rows.Select(ToChannel).ToList();
    }

    public async Task<MonitoredChannel?> FindChannelAsync(Platform platform, string externalId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.MonitoredChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Platform == platform && c.ExternalId == externalId, cancellationToken);
        return row is null ? null : ToChannel(row);
    }

    public async Task<(Creator Creator, Topic Topic, bool TopicCreated, MonitoredChannel Channel)> AddCreatorAsync(
        NewCreator creator, DateTime now, CancellationToken cancellationToken = default)
    {
        return await database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            await EnsureNotMonitoredAsync(db, creator.Platform, creator.ExternalId, ct);
            if (await db.Creators.AnyAsync(c => c.Platform == creator.Platform && c.Handle == creator.Handle, ct))
            {
                throw TerminalException.Conflict("already_monitored", $"A creator @{creator.Handle} on {creator.Platform.ToWire()} is already in the market.");
            }

            var (topic, topicCreated) = await TopicAsync(db, creator.Topic, ct);
            var entity = new Creator
            {
                Id = await NextIdAsync(db.Creators.Select(c => c.Id), LiveEntityIdBase, ct),
                Handle = creator.Handle,
                DisplayName = creator.DisplayName,
                Platform = creator.Platform,
                TopicId = topic.Id,
                IsDemo = false,
                CreatedAt = now,
            };
            db.Creators.Add(entity);
            var channel = new MonitoredChannelRow
            {
                Platform = creator.Platform,
                Role = ChannelRole.Creator,
                ExternalId = creator.ExternalId,
                Handle = creator.Handle,
                Title = Clip(creator.DisplayName, 256)!,
                EntityId = entity.Id,
                UploadsPlaylistId = creator.UploadsPlaylistId,
                AddedAt = now,
            };
            db.MonitoredChannels.Add(channel);
            await db.SaveChangesAsync(ct);
            return (entity, topic, topicCreated, ToChannel(channel));
        }, cancellationToken);
    }

    public async Task<(ClipperAccount Clipper, MonitoredChannel Channel)> AddClipperAsync(NewClipper clipper, DateTime now, CancellationToken cancellationToken = default)
    {
        return await database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            await EnsureNotMonitoredAsync(db, clipper.Platform, clipper.ExternalId, ct);
            var known = await db.Creators.Where(c => clipper.CreatorIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
            var unknown = clipper.CreatorIds.Except(known).ToList();
            if (unknown.Count > 0)
            {
                throw TerminalException.NotFound("creator_not_found", $"No creator with id {string.Join(", ", unknown)}.");
            }

            var account = await db.ClipperAccounts.FirstOrDefaultAsync(c => c.Platform == clipper.Platform && c.Handle == clipper.Handle, ct);
            if (account is null)
            {
                account = new ClipperAccount
                {
                    Id = await NextIdAsync(db.ClipperAccounts.Select(c => c.Id), LiveEntityIdBase, ct),
                    Handle = clipper.Handle,
                    Platform = clipper.Platform,
                    IsDemo = false,
                };
                db.ClipperAccounts.Add(account);
            }
            else if (account.IsDemo)
            {
                throw TerminalException.Conflict("already_monitored", $"@{clipper.Handle} is a DEMO clipper account.");
            }

            var channel = new MonitoredChannelRow
            {
                Platform = clipper.Platform,
                Role = ChannelRole.Clipper,
                ExternalId = clipper.ExternalId,
                Handle = clipper.Handle,
                Title = Clip(clipper.DisplayName, 256)!,
                EntityId = account.Id,
                UploadsPlaylistId = clipper.UploadsPlaylistId,
                CreatorIds = string.Join(',', clipper.CreatorIds.Distinct().Select(i => i.ToString(CultureInfo.InvariantCulture))),
                AddedAt = now,
            };
            db.MonitoredChannels.Add(channel);
            await db.SaveChangesAsync(ct);
            return (account, ToChannel(channel));
        }, cancellationToken);
    }

    public async Task<bool> StopMonitoringCreatorAsync(int creatorId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var changed = await db.MonitoredChannels
            .Where(c => c.Role == ChannelRole.Creator && c.EntityId == creatorId && c.Active)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Active, false), cancellationToken);
        return changed > 0;
    }

    public async Task UpdateChannelAsync(int channelId, long? videoCount, DateTime? uploadsAt, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.MonitoredChannels.FirstAsync(c => c.Id == channelId, cancellationToken);
        row.LastVideoCount = videoCount ?? row.LastVideoCount;
        row.LastUploadsAt = uploadsAt ?? row.LastUploadsAt;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TrackedVideo>> GetVideosAsync(Platform platform, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.TrackedVideos.AsNoTracking().Where(v => v.Platform == platform).ToListAsync(cancellationToken);
        return rows.Select(r => new TrackedVideo
        {
            VideoId = r.VideoId,
            ChannelId = r.ChannelId,
            Role = r.Role,
            PublishedAt = r.PublishedAt,
            ClipId = r.ClipId,
            VodId = r.VodId,
            Live = r.Live,
            ConcurrentViewers = r.ConcurrentViewers,
            LastViews = r.LastViews,
            LastChangedAt = r.LastChangedAt,
            Attribution = r.Attribution,
            Title = r.Title,
            LiveStartedAt = r.LiveStartedAt,
        }).ToList();
    }

    public async Task SaveVideosAsync(IEnumerable<TrackedVideo> videos, CancellationToken cancellationToken = default)
    {
        var list = videos.ToList();
        if (list.Count == 0)
        {
            return;
        }

        await using var db = await database.OpenAsync(cancellationToken);
        var channelIds = list.Select(v => v.ChannelId).Distinct().ToList();
        var platforms = await db.MonitoredChannels.Where(c => channelIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Platform, cancellationToken);
        var ids = list.Select(v => v.VideoId).ToList();
        var existing = await db.TrackedVideos.Where(v => ids.Contains(v.VideoId)).ToDictionaryAsync(v => (v.Platform, v.VideoId), cancellationToken);
        foreach (var v in list)
        {
            var platform = platforms[v.ChannelId];
            if (!existing.TryGetValue((platform, v.VideoId), out var row))
            {
                row = new TrackedVideoRow { Platform = platform, VideoId = v.VideoId };
                db.TrackedVideos.Add(row);
                existing[(platform, v.VideoId)] = row;
            }

            row.ChannelId = v.ChannelId;
            row.Role = v.Role;
            row.PublishedAt = v.PublishedAt;
            row.ClipId = v.ClipId ?? row.ClipId;
            row.VodId = v.VodId ?? row.VodId;
            row.Live = v.Live;
            row.ConcurrentViewers = v.ConcurrentViewers;
            row.LastViews = v.LastViews;
            row.LastChangedAt = v.LastChangedAt;
            row.Attribution = Clip(v.Attribution, 256);
            row.Title = Clip(v.Title, 256) ?? row.Title;
            row.LiveStartedAt = v.LiveStartedAt ?? row.LiveStartedAt;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<MarketClip>> AddClipsAsync(IReadOnlyList<NewClip> clips, CancellationToken cancellationToken = default)
    {
        if (clips.Count == 0)
        {
            return [];
        }

        return await database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            var creatorIds = clips.Select(c => c.CreatorId).Distinct().ToList();
            var topics = await db.Creators.Where(c => creatorIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => (c.TopicId, c.Platform), ct);
            var next = await NextIdAsync(db.Clips.Select(c => c.Id), LiveClipIdBase, ct);
            var created = new List<MarketClip>(clips.Count);
            foreach (var c in clips)
            {
                var (topicId, platform) = topics[c.CreatorId];
                var clip = new MarketClip
                {
                    Id = next++,
                    Title = Clip(c.Title, 256)!,
                    Platform = platform,
                    CreatorId = c.CreatorId,
                    ClipperId = c.ClipperId,
                    TopicId = topicId,
                    PublishedAt = c.PublishedAt,
                    IsDemo = false,
                };
                db.Clips.Add(clip);
                created.Add(clip);
            }

            await db.SaveChangesAsync(ct);
            var byVideo = clips.Zip(created, (n, c) => (n.VideoId, c.Id)).ToDictionary(p => p.VideoId, p => p.Id);
            var videoIds = byVideo.Keys.ToList();
            foreach (var row in await db.TrackedVideos.Where(v => videoIds.Contains(v.VideoId)).ToListAsync(ct))
            {
                row.ClipId = byVideo[row.VideoId];
            }

            await db.SaveChangesAsync(ct);
            return (IReadOnlyList<MarketClip>)created;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Vod>> AddEndedLivesAsync(IReadOnlyList<EndedLive> lives, DateTime now, CancellationToken cancellationToken = default)
    {
        if (lives.Count == 0)
        {
            return [];
        }

        return await database.InTransactionAsync(IsolationLevel.Serializable, async (db, ct) =>
        {
            var vods = new List<Vod>();
            foreach (var live in lives)
            {
                var vod = new Vod
                {
                    Id = Guid.NewGuid(),
                    CreatorId = live.CreatorId,
                    Title = Clip(live.Title, 256)!,
                    // Never downloaded: cutting needs a source a user registers (POST /api/vods).
                    SourceUrl = "",
                    PublishedAt = live.PublishedAt,
                    DurationSeconds = live.DurationSeconds,
                    Status = VodStatus.NeedsSource,
                    PlatformUrl = live.PlatformUrl,
                    PlatformThumbnailUrl = live.ThumbnailUrl,
                    IsDemo = false,
                    CreatedAt = now,
                };
                db.Vods.Add(vod);
                vods.Add(vod);
                var row = await db.TrackedVideos.FirstOrDefaultAsync(v => v.VideoId == live.VideoId, ct);
                if (row is not null)
                {
                    row.VodId = vod.Id;
                    row.Live = false;
                    row.ConcurrentViewers = null;
                }
            }

            await db.SaveChangesAsync(ct);
            return (IReadOnlyList<Vod>)vods;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<LiveNow>> GetLiveAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await (
            from v in db.TrackedVideos.AsNoTracking()
            join ch in db.MonitoredChannels.AsNoTracking() on v.ChannelId equals ch.Id
            join c in db.Creators.AsNoTracking() on ch.EntityId equals c.Id
            where v.Live && ch.Role == ChannelRole.Creator
            select new { c.Id, c.Handle, c.Platform, v.VideoId, v.Title, v.ConcurrentViewers, v.LiveStartedAt })
            .ToListAsync(cancellationToken);
        return rows
            .OrderByDescending(r => r.ConcurrentViewers ?? 0)
            .Select(r => new LiveNow(r.Id, r.Handle, r.Platform, r.VideoId, r.Title ?? "", r.ConcurrentViewers, r.LiveStartedAt, "https://www.youtube.com/watch?v=" + r.VideoId))
            .ToList();
    }

    public async Task RecordRunAsync(SourceRun run, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        db.MarketSourceRuns.Add(new SourceRunRow
        {
            Platform = run.Platform,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            Calls = run.Calls,
            Units = run.Units,
            Records = run.Records,
            Errors = run.Errors,
            Error = Clip(run.Error, 512),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SourceRun>> GetRunsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.MarketSourceRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.Select(r => new SourceRun(r.Platform, r.StartedAt, r.FinishedAt, r.Calls, r.Units, r.Records, r.Errors, r.Error)).ToList();
    }

    public async Task<IReadOnlyList<(MonitoredChannel Channel, string Topic)>> GetMonitoredAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.MonitoredChannels.AsNoTracking().Where(c => c.Active).OrderBy(c => c.Role).ThenBy(c => c.Handle).ToListAsync(cancellationToken);
        var creatorIds = rows.Where(r => r.Role == ChannelRole.Creator).Select(r => r.EntityId).ToList();
        var topics = await (
            from c in db.Creators.AsNoTracking()
            join t in db.Topics.AsNoTracking() on c.TopicId equals t.Id
            where creatorIds.Contains(c.Id)
            select new { c.Id, t.Name }).ToDictionaryAsync(x => x.Id, x => x.Name, cancellationToken);
        return rows.Select(r => (ToChannel(r), r.Role == ChannelRole.Creator ? topics.GetValueOrDefault(r.EntityId, "") : "")).ToList();
    }

    private static async Task EnsureNotMonitoredAsync(TerminalDbContext db, Platform platform, string externalId, CancellationToken ct)
    {
        var existing = await db.MonitoredChannels.FirstOrDefaultAsync(c => c.Platform == platform && c.ExternalId == externalId, ct);
        if (existing is { Active: true })
        {
            throw TerminalException.Conflict("already_monitored", $"Channel {externalId} is already monitored (as a {existing.Role.ToString().ToLowerInvariant()}).");
        }

        if (existing is not null)
        {
            // Re-adding a creator whose monitoring stopped: the history stays, the row is replaced.
            throw TerminalException.Conflict("already_monitored", $"Channel {externalId} was monitored before; its history is kept under the same creator.");
        }
    }

    internal static async Task<(Topic Topic, bool Created)> TopicAsync(TerminalDbContext db, string? name, CancellationToken ct)
    {
        var display = string.IsNullOrWhiteSpace(name) ? "General" : name.Trim();
        var slug = Slug(display);
        var existing = await db.Topics.FirstOrDefaultAsync(t => t.Slug == slug || t.Name == display, ct);
        if (existing is not null)
        {
            return (existing, false);
        }

        var topic = new Topic { Id = await NextIdAsync(db.Topics.Select(t => t.Id), LiveEntityIdBase, ct), Slug = slug, Name = Clip(display, 128)! };
        db.Topics.Add(topic);
        return (topic, true);
    }

    /// <summary>URL-safe key of a topic name: lowercase letters and digits joined by '-'.</summary>
    public static string Slug(string name)
    {
        var parts = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var slug = string.Join('-', parts);
        return slug.Length == 0 ? "general" : slug[..Math.Min(slug.Length, 64)];
    }

    internal static async Task<int> NextIdAsync(IQueryable<int> ids, int floor, CancellationToken ct) =>
        Math.Max(floor, (await ids.Where(i => i >= floor).MaxAsync(i => (int?)i, ct) ?? floor - 1) + 1);

    private static string? Clip(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    private static SourceState ToState(MarketSourceRow r) => new()
    {
        Platform = r.Platform,
        Status = r.Status,
        Reason = r.Reason,
        SecretReference = r.SecretReference,
        KeyHint = r.KeyHint,
        AccountId = r.AccountId,
        QuotaDay = r.QuotaDay,
        QuotaUsed = r.QuotaUsed,
        BlockedUntil = r.BlockedUntil,
        LastRunAt = r.LastRunAt,
        LastError = r.LastError,
        NextPollAt = r.NextPollAt,
    };

    private static MonitoredChannel ToChannel(MonitoredChannelRow r) => new(
        r.Id, r.Platform, r.Role, r.ExternalId, r.Handle, r.Title, r.EntityId, r.UploadsPlaylistId, r.LastVideoCount, r.LastUploadsAt, r.Active,
        r.CreatorIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(),
        r.AddedAt);
}
