using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Core.Secrets;
using Terminal.Data.Market;

namespace Terminal.Jobs.RealMarket;

/// <summary>
/// The admin's side of the real market (SPEC §9): the platform key (validated with one cheap call,
/// kept in the secret store), and the monitored universe — creators resolved by handle, clipper
/// channels with the creators they clip. A creator added here shows in TRND at once with the numbers
/// its resolution call served.
/// </summary>
public sealed class MarketSourcesService(
    YouTubeDataApi youTube,
    YouTubeMarketPoller poller,
    IMarketSourceStore store,
    ISecretStore secrets,
    MarketStore market,
    IMarketFeed feed,
    IOptions<YouTubeMarketOptions> options,
    TimeProvider time,
    ILogger<MarketSourcesService> logger)
{
    public async Task<IReadOnlyList<MarketSourceView>> GetSourcesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var views = new List<MarketSourceView>();
        foreach (var platform in Platforms.All)
        {
            var state = await store.GetStateAsync(platform, cancellationToken);
            var monitored = (await store.GetChannelsAsync(platform, activeOnly: true, cancellationToken)).Count;
            var status = state.Status;
            var hint = state.KeyHint;
            if (platform == Platform.YouTube && state.SecretReference is null && !string.IsNullOrWhiteSpace(options.Value.ApiKey))
            {
                hint ??= Hint(options.Value.ApiKey);
                status = status == SourceStatus.Unconfigured ? SourceStatus.PendingValidation : status;
            }

            var used = state.QuotaDay == PacificQuotaDay.Of(now) ? state.QuotaUsed : 0;
            var limit = platform == Platform.YouTube ? options.Value.DailyQuota : 0;
            views.Add(new MarketSourceView(platform, status, state.Reason, hint, new QuotaView(used, limit, PacificQuotaDay.NextReset(now)), state.LastRunAt, state.LastError, monitored));
        }

        return views;
    }

    /// <summary>Stores the key (secret store; never returned), then validates it with one call.</summary>
    public async Task<MarketSourceView> SetYouTubeKeyAsync(string? apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(apiKey) || apiKey.Trim().Length is < 20 or > 200 || apiKey.Trim().Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            throw TerminalException.BadRequest("invalid_api_key", "apiKey must be a YouTube Data API key (letters, digits, '-' and '_', 20 to 200 characters).");
        }

        var key = apiKey.Trim();
        var state = await store.GetStateAsync(Platform.YouTube, cancellationToken);
        var reference = await secrets.SetAsync(key, state.SecretReference, cancellationToken);
        state = state with { SecretReference = reference, KeyHint = Hint(key), Status = SourceStatus.PendingValidation, Reason = null, BlockedUntil = null, NextPollAt = null };
        await store.SaveStateAsync(state, cancellationToken);
        state = await ValidateAsync(state, key, cancellationToken);
        return (await GetSourcesAsync(cancellationToken)).First(v => v.Platform == Platform.YouTube);
    }

    private async Task<SourceState> ValidateAsync(SourceState state, string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            await youTube.ValidateKeyAsync(key, cancellationToken);
            state = state with { Status = SourceStatus.Valid, Reason = null };
        }
        catch (YouTubeKeyInvalidException ex)
        {
            state = state with { Status = SourceStatus.Invalid, Reason = ex.Message };
        }
        catch (YouTubeQuotaExceededException)
        {
            state = state with { Status = SourceStatus.QuotaExceeded, Reason = "quota exceeded until the Pacific-time reset", BlockedUntil = PacificQuotaDay.NextReset(now) };
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "YouTube key validation could not reach the platform");
            state = state with { Status = SourceStatus.PendingValidation, Reason = "YouTube could not be reached; validation will be retried" };
        }

        await poller.ChargeAsync(now, cancellationToken);
        await store.SaveStateAsync(state, cancellationToken);
        return state;
    }

    public async Task<CreatorSummary> AddCreatorAsync(string? platform, string? handle, string? topic, CancellationToken cancellationToken)
    {
        var (p, h) = ParseTarget(platform, handle);
        if (topic is { Length: > 64 })
        {
            throw TerminalException.BadRequest("invalid_topic", "topic must be at most 64 characters.");
        }

        var key = await RequireKeyAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        YouTubeChannel? channel;
        try
        {
            channel = await youTube.ResolveHandleAsync(key, h, cancellationToken);
        }
        finally
        {
            await poller.ChargeAsync(now, cancellationToken);
        }

        if (channel is null)
        {
            throw TerminalException.NotFound("handle_not_found", $"YouTube has no channel @{h}.");
        }

        var handleName = (channel.CustomUrl ?? h).TrimStart('@').ToLowerInvariant();
        var (creator, topicRow, topicCreated, _) = await store.AddCreatorAsync(
            new NewCreator(p, channel.Id, handleName, channel.Title, topic, channel.UploadsPlaylistId, null), now, cancellationToken);

        // The resolution call served the channel's statistics: they are the creator's first reading.
        var first = new MetricSnapshot { Kind = EntityKind.Creator, EntityId = creator.Id, At = now, Views = channel.ViewCount, Followers = channel.SubscriberCount };
        await market.InsertSnapshotsAsync([first], cancellationToken);
        var entities = topicCreated ? new[] { EntityInfo.Of(topicRow), EntityInfo.Of(creator) } : new[] { EntityInfo.Of(creator) };
        feed.Publish(new MarketUpdate(now, [first]) { Entities = entities });
        logger.LogInformation("Monitoring YouTube channel {ChannelId} as creator {CreatorId} (@{Handle})", channel.Id, creator.Id, handleName);
        return new CreatorSummary(creator.Id, creator.Handle, creator.DisplayName, creator.Platform, topicRow.Id, topicRow.Name, false);
    }

    public async Task<(ClipperAccount Clipper, MonitoredChannel Channel)> AddClipperAsync(string? platform, string? handle, IReadOnlyList<int>? creatorIds, CancellationToken cancellationToken)
    {
        var (p, h) = ParseTarget(platform, handle);
        if (creatorIds is { Count: > 100 } || creatorIds?.Any(id => id < 1) == true)
        {
            throw TerminalException.BadRequest("invalid_creator_ids", "creatorIds must be at most 100 positive creator ids.");
        }

        var key = await RequireKeyAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        YouTubeChannel? channel;
        try
        {
            channel = await youTube.ResolveHandleAsync(key, h, cancellationToken);
        }
        finally
        {
            await poller.ChargeAsync(now, cancellationToken);
        }

        if (channel is null)
        {
            throw TerminalException.NotFound("handle_not_found", $"YouTube has no channel @{h}.");
        }

        var handleName = (channel.CustomUrl ?? h).TrimStart('@').ToLowerInvariant();
        return await store.AddClipperAsync(new NewClipper(p, channel.Id, handleName, channel.Title, channel.UploadsPlaylistId, null, creatorIds ?? []), now, cancellationToken);
    }

    public async Task RemoveCreatorAsync(int creatorId, CancellationToken cancellationToken)
    {
        if (!await store.StopMonitoringCreatorAsync(creatorId, cancellationToken))
        {
            throw TerminalException.NotFound("creator_not_found", $"No monitored creator with id {creatorId}.");
        }
    }

    private async Task<string> RequireKeyAsync(CancellationToken cancellationToken)
    {
        var state = await store.GetStateAsync(Platform.YouTube, cancellationToken);
        if (state.BlockedUntil is { } blocked && time.GetUtcNow().UtcDateTime < blocked)
        {
            throw TerminalException.Conflict("quota_exceeded", $"The YouTube quota is spent until {blocked:yyyy-MM-dd HH:mm} UTC.");
        }

        if (state.Status == SourceStatus.Invalid)
        {
            throw TerminalException.Conflict("source_invalid", $"The YouTube key is invalid: {state.Reason}");
        }

        return await poller.KeyAsync(state, cancellationToken)
            ?? throw TerminalException.Conflict("source_unconfigured", "Add a YouTube Data API key first (PUT /api/market/sources/youtube).");
    }

    private static (Platform Platform, string Handle) ParseTarget(string? platform, string? handle)
    {
        var p = Platforms.Parse(platform);
        if (p != Platform.YouTube)
        {
            throw TerminalException.BadRequest("unsupported_platform", p == Platform.TikTok
                ? "TikTok offers no public-data API: TikTok market data comes only from linked accounts whose owners opt in."
                : "Instagram monitoring needs the Business Discovery source, which is not configured on this terminal.");
        }

        var h = handle?.Trim().TrimStart('@') ?? "";
        if (h.Length is < 3 or > 30 || h.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_' and not '-'))
        {
            throw TerminalException.BadRequest("invalid_handle", "handle must be a YouTube handle: 3 to 30 letters, digits, '.', '_' or '-', with or without @.");
        }

        return (p, h);
    }

    private static string Hint(string key) => key.Length <= 4 ? "****" : key[^4..];
}
