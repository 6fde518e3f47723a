using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Core.Secrets;
using Terminal.Jobs.LinkedAccounts;

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
    InstagramGraphApi instagram,
    InstagramMarketPoller instagramPoller,
    InstagramUsageGauge instagramUsage,
    IMarketSourceStore store,
    ISecretStore secrets,
    IMarketStore market,
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

            QuotaView quota;
            if (platform == Platform.Instagram)
            {
                // Meta's Business Use Case usage: the highest of call_count, total_time and total_cputime
                // (percent of a rolling hour), as the last answer's header reported it.
                var (usage, at) = instagramUsage.Latest;
                var resets = state.BlockedUntil is { } b && b > now ? b : (at ?? now).AddHours(1);
                quota = new QuotaView(usage?.Percent ?? 0, 100, resets);
            }
            else
            {
                var used = state.QuotaDay == PacificQuotaDay.Of(now) ? state.QuotaUsed : 0;
                var limit = platform == Platform.YouTube ? options.Value.DailyQuota : 0;
                quota = new QuotaView(used, limit, PacificQuotaDay.NextReset(now));
            }

            views.Add(new MarketSourceView(platform, status, state.Reason, hint, quota, state.LastRunAt, state.LastError, monitored));
        }

        return views;
    }

    /// <summary>Stores the key (secret store; never returned), then validates it with one call.</summary>
    public async Task<MarketSourceView> SetYouTubeKeyAsync(string? apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(apiKey) || apiKey.Trim().Length is < 20 or > 200 || apiKey.Trim().Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            throw TerminalException.BadRequest("invalid_youtube_api_key", "apiKey must be a YouTube Data API key (letters, digits, '-' and '_', 20 to 200 characters).");
        }

        var key = apiKey.Trim();
        var state = await store.GetStateAsync(Platform.YouTube, cancellationToken);
        var reference = await secrets.SetAsync(key, state.SecretReference, cancellationToken);
        state = state with { SecretReference = reference, KeyHint = Hint(key), Status = SourceStatus.PendingValidation, Reason = null, BlockedUntil = null, NextPollAt = null };
        await store.SaveStateAsync(state, cancellationToken);
        state = await ValidateAsync(state, key, cancellationToken);
        return (await GetSourcesAsync(cancellationToken)).First(v => v.Platform == Platform.YouTube);
    }

    /// <summary>Stores the Instagram business account id and the Facebook-Login token (secret store; never
    /// returned), then validates them with one call reading the account's own id and username.</summary>
    public async Task<MarketSourceView> SetInstagramAsync(string? businessAccountId, string? accessToken, CancellationToken cancellationToken)
    {
        var accountId = businessAccountId?.Trim() ?? "";
        if (accountId.Length is < 5 or > 32 || !accountId.All(char.IsAsciiDigit))
        {
            throw TerminalException.BadRequest("invalid_account_id", "businessAccountId must be the numeric id of an Instagram Business or Creator account (5 to 32 digits).");
        }

        var token = accessToken?.Trim() ?? "";
        if (token.Length is < 20 or > 1024 || token.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.' and not '|'))
        {
            throw TerminalException.BadRequest("invalid_access_token", "accessToken must be a Facebook-Login access token (20 to 1024 letters, digits, '-', '_', '.', '|').");
        }

        var state = await store.GetStateAsync(Platform.Instagram, cancellationToken);
        var reference = await secrets.SetAsync(token, state.SecretReference, cancellationToken);
        state = state with { SecretReference = reference, AccountId = accountId, KeyHint = Hint(token), Status = SourceStatus.PendingValidation, Reason = null, BlockedUntil = null, NextPollAt = null };
        await store.SaveStateAsync(state, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            await instagram.ValidateAsync(accountId, token, cancellationToken);
            state = state with { Status = SourceStatus.Valid };
        }
        catch (InstagramTokenInvalidException ex)
        {
            state = state with { Status = SourceStatus.Invalid, Reason = ex.Message };
        }
        catch (InstagramThrottledException ex)
        {
            state = state with { Status = SourceStatus.QuotaExceeded, Reason = "Business Use Case rate limit reached", BlockedUntil = now + ex.RegainAccessIn };
        }
        catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound)
        {
            // e.g. code 100 "Object with ID … does not exist": the account id is wrong.
            state = state with { Status = SourceStatus.Invalid, Reason = ex.Message.Length > 200 ? ex.Message[..200] : ex.Message };
        }
        catch (Exception ex) when (PlatformFailures.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Instagram validation could not reach the platform");
            state = state with { Status = SourceStatus.PendingValidation, Reason = "Instagram could not be reached; validation will be retried" };
        }

        await store.SaveStateAsync(state, cancellationToken);
        return (await GetSourcesAsync(cancellationToken)).First(v => v.Platform == Platform.Instagram);
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
        catch (Exception ex) when (PlatformFailures.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
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

        var now = time.GetUtcNow().UtcDateTime;
        var channel = await ResolveAsync(p, h, now, cancellationToken)
            ?? throw TerminalException.NotFound("handle_not_found", $"{p.ToWire()} has no {(p == Platform.Instagram ? "business or creator account" : "channel")} @{h}.");
        var (creator, topicRow, topicCreated, _) = await store.AddCreatorAsync(
            new NewCreator(p, channel.Id, channel.Handle, channel.Title, topic, channel.UploadsPlaylistId, null), now, cancellationToken);

        // The resolution call served the account's statistics: they are the creator's first reading.
        var first = new MetricSnapshot { Kind = EntityKind.Creator, EntityId = creator.Id, At = now, Views = channel.Views, Followers = channel.Followers };
        await market.InsertSnapshotsAsync([first], cancellationToken);
        var entities = topicCreated ? new[] { EntityInfo.Of(topicRow), EntityInfo.Of(creator) } : new[] { EntityInfo.Of(creator) };
        feed.Publish(new MarketUpdate(now, [first]) { Entities = entities });
        logger.LogInformation("Monitoring {Platform} account {ChannelId} as creator {CreatorId} (@{Handle})", p, channel.Id, creator.Id, channel.Handle);
        return new CreatorSummary(creator.Id, creator.Handle, creator.DisplayName, creator.Platform, topicRow.Id, topicRow.Name, false);
    }

    /// <summary>A handle resolved on its platform; null when the platform has no such account.</summary>
    private sealed record Resolved(string Id, string Handle, string Title, long Views, long Followers, string? UploadsPlaylistId);

    private async Task<Resolved?> ResolveAsync(Platform platform, string handle, DateTime now, CancellationToken cancellationToken)
    {
        if (platform == Platform.Instagram)
        {
            var (accountId, token) = await RequireInstagramAsync(cancellationToken);
            InstagramAccount? account;
            try
            {
                account = await instagram.DiscoverAsync(accountId, token, handle, cancellationToken);
            }
            catch (InstagramTokenInvalidException ex)
            {
                var state = await store.GetStateAsync(Platform.Instagram, cancellationToken);
                await store.SaveStateAsync(state with { Status = SourceStatus.Invalid, Reason = ex.Message }, cancellationToken);
                throw TerminalException.Conflict("source_invalid", $"The Instagram token is invalid: {ex.Message}");
            }
            catch (InstagramThrottledException ex)
            {
                var state = await store.GetStateAsync(Platform.Instagram, cancellationToken);
                await store.SaveStateAsync(state with { Status = SourceStatus.QuotaExceeded, Reason = "Business Use Case rate limit reached", BlockedUntil = now + ex.RegainAccessIn }, cancellationToken);
                throw TerminalException.Conflict("quota_exceeded", $"Instagram rate-limits this account until {now + ex.RegainAccessIn:yyyy-MM-dd HH:mm} UTC.");
            }

            return account is null ? null
                : new Resolved(account.Id, account.Username.ToLowerInvariant(), string.IsNullOrWhiteSpace(account.Name) ? account.Username : account.Name, 0, account.FollowersCount, null);
        }

        var key = await RequireKeyAsync(cancellationToken);
        YouTubeChannel? channel;
        try
        {
            channel = await youTube.ResolveHandleAsync(key, handle, cancellationToken);
        }
        finally
        {
            await poller.ChargeAsync(now, cancellationToken);
        }

        return channel is null ? null
            : new Resolved(channel.Id, (channel.CustomUrl ?? handle).TrimStart('@').ToLowerInvariant(), channel.Title, channel.ViewCount, channel.SubscriberCount, channel.UploadsPlaylistId);
    }

    public async Task<(ClipperAccount Clipper, MonitoredChannel Channel)> AddClipperAsync(string? platform, string? handle, IReadOnlyList<int>? creatorIds, CancellationToken cancellationToken)
    {
        var (p, h) = ParseTarget(platform, handle);
        if (creatorIds is { Count: > 100 } || creatorIds?.Any(id => id < 1) == true)
        {
            throw TerminalException.BadRequest("invalid_creator_ids", "creatorIds must be at most 100 positive creator ids.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var channel = await ResolveAsync(p, h, now, cancellationToken)
            ?? throw TerminalException.NotFound("handle_not_found", $"{p.ToWire()} has no {(p == Platform.Instagram ? "business or creator account" : "channel")} @{h}.");
        return await store.AddClipperAsync(new NewClipper(p, channel.Id, channel.Handle, channel.Title, channel.UploadsPlaylistId, null, creatorIds ?? []), now, cancellationToken);
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

    private async Task<(string AccountId, string Token)> RequireInstagramAsync(CancellationToken cancellationToken)
    {
        var state = await store.GetStateAsync(Platform.Instagram, cancellationToken);
        if (state.BlockedUntil is { } blocked && time.GetUtcNow().UtcDateTime < blocked)
        {
            throw TerminalException.Conflict("quota_exceeded", $"Instagram rate-limits this account until {blocked:yyyy-MM-dd HH:mm} UTC.");
        }

        if (state.Status == SourceStatus.Invalid)
        {
            throw TerminalException.Conflict("source_invalid", $"The Instagram token is invalid: {state.Reason}");
        }

        return await instagramPoller.TokenAsync(state, cancellationToken) is { } token && state.AccountId is { } id
            ? (id, token)
            : throw TerminalException.Conflict("source_unconfigured", "Add an Instagram business account and token first (PUT /api/market/sources/instagram).");
    }

    private static (Platform Platform, string Handle) ParseTarget(string? platform, string? handle)
    {
        var p = Platforms.Parse(platform);
        if (p == Platform.TikTok)
        {
            throw TerminalException.BadRequest("unsupported_platform",
                "TikTok offers no public-data API: TikTok market data comes only from linked accounts whose owners opt in.");
        }

        var h = handle?.Trim().TrimStart('@') ?? "";
        if (p == Platform.Instagram)
        {
            // Instagram usernames: 1 to 30 letters, digits, '.' and '_' (they also go inside the fields expression).
            if (h.Length is < 1 or > 30 || h.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_'))
            {
                throw TerminalException.BadRequest("invalid_handle", "handle must be an Instagram username: 1 to 30 letters, digits, '.' or '_', with or without @.");
            }

            return (p, h.ToLowerInvariant());
        }

        if (h.Length is < 3 or > 30 || h.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_' and not '-'))
        {
            throw TerminalException.BadRequest("invalid_handle", "handle must be a YouTube handle: 3 to 30 letters, digits, '.', '_' or '-', with or without @.");
        }

        return (p, h);
    }

    private static string Hint(string key) => key.Length <= 4 ? "****" : key[^4..];
}
