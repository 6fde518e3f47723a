using Terminal.Core.Accounts;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Jobs.RealMarket;

namespace Terminal.Web.Features.MarketSources;

/// <summary><c>PUT /api/market/sources/youtube</c>.</summary>
public sealed record YouTubeSourceRequest(string? ApiKey);

/// <summary><c>PUT /api/market/sources/instagram</c>.</summary>
public sealed record InstagramSourceRequest(string? BusinessAccountId, string? AccessToken);

/// <summary><c>POST /api/market/creators</c>.</summary>
public sealed record MonitorCreatorRequest(string? Platform, string? Handle, string? Topic);

/// <summary><c>POST /api/market/clippers</c>.</summary>
public sealed record MonitorClipperRequest(string? Platform, string? Handle, IReadOnlyList<int>? CreatorIds);

/// <summary>A clipper channel now monitored.</summary>
public sealed record MonitoredClipperResponse(int Id, string Handle, Platform Platform, string ChannelId, IReadOnlyList<int> CreatorIds);

/// <summary>A monitored channel as ADMIN lists it.</summary>
public sealed record MonitoredChannelResponse(int EntityId, ChannelRole Role, Platform Platform, string Handle, string Title, string ChannelId, string Topic, IReadOnlyList<int> CreatorIds, DateTime AddedAt, DateTime? LastUploadsAt);

/// <summary>The real market's admin API (SPEC §9): 401 anonymous, 403 for non-admins.</summary>
public static class MarketSourceEndpoints
{
    public static IEndpointRouteBuilder MapMarketSourceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/market").WithTags("Market sources").RequireAuthorization(Roles.Admin);
        group.MapGet("/sources", GetSources)
            .WithSummary("Every platform source: status (unconfigured, pending_validation, valid, invalid, quota_exceeded, paused), reason, key hint, quota gauge, last run and error, monitored count.");
        group.MapPut("/sources/youtube", PutYouTube)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Stores a YouTube Data API key (secret store; only its last 4 characters are ever shown) and validates it with one 1-unit call.");
        group.MapPut("/sources/instagram", PutInstagram)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Stores an Instagram Business/Creator account id and a Facebook-Login access token (secret store; only its last 4 characters are ever shown) and validates them with one call.");
        group.MapGet("/creators", GetMonitored).WithSummary("Monitored channels (creators and clippers).");
        group.MapPost("/creators", PostCreator)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest).Produces<ApiErrorBody>(StatusCodes.Status404NotFound).Produces<ApiErrorBody>(StatusCodes.Status409Conflict)
            .WithSummary("Monitors a creator by handle (YouTube channels.list?forHandle=, Instagram Business Discovery): 201 with the creator summary; 404 unknown handle; 409 already monitored.");
        group.MapDelete("/creators/{id:int}", DeleteCreator)
            .Produces<ApiErrorBody>(StatusCodes.Status404NotFound)
            .WithSummary("Stops monitoring a creator; its history stays.");
        group.MapPost("/clippers", PostClipper)
            .Produces<ApiErrorBody>(StatusCodes.Status400BadRequest).Produces<ApiErrorBody>(StatusCodes.Status404NotFound).Produces<ApiErrorBody>(StatusCodes.Status409Conflict)
            .WithSummary("Monitors a clipper channel: its uploads are clips, attributed to creators by this mapping or by a creator's @handle or channel URL in the title or description.");
        group.MapGet("/runs", GetRuns).WithSummary("The latest polling runs (calls, units, records, errors).");
        // Any signed-in user: the LIVE markers of CRTR and the ticker.
        app.MapGroup("/api/market").WithTags("Market sources").MapGet("/live", GetLive).WithSummary("Monitored creators live now, with concurrent viewers.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<MarketSourceView>>> GetSources(MarketSourcesService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetSourcesAsync(ct));

    private static async Task<Ok<MarketSourceView>> PutYouTube(YouTubeSourceRequest? body, MarketSourcesService service, CancellationToken ct) =>
        TypedResults.Ok(await service.SetYouTubeKeyAsync(body?.ApiKey, ct));

    private static async Task<Ok<MarketSourceView>> PutInstagram(InstagramSourceRequest? body, MarketSourcesService service, CancellationToken ct) =>
        TypedResults.Ok(await service.SetInstagramAsync(body?.BusinessAccountId, body?.AccessToken, ct));

    private static async Task<Ok<List<MonitoredChannelResponse>>> GetMonitored(IMarketSourceStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.GetMonitoredAsync(ct))
            .Select(m => new MonitoredChannelResponse(m.Channel.EntityId, m.Channel.Role, m.Channel.Platform, m.Channel.Handle, m.Channel.Title, m.Channel.ExternalId, m.Topic, m.Channel.CreatorIds, m.Channel.AddedAt, m.Channel.LastUploadsAt))
            .ToList());

    private static async Task<Created<CreatorSummary>> PostCreator(MonitorCreatorRequest? body, MarketSourcesService service, CancellationToken ct)
    {
        var created = await service.AddCreatorAsync(body?.Platform, body?.Handle, body?.Topic, ct);
        return TypedResults.Created($"/api/creators/{created.Id}", created);
    }

    private static async Task<NoContent> DeleteCreator(int id, MarketSourcesService service, CancellationToken ct)
    {
        await service.RemoveCreatorAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Created<MonitoredClipperResponse>> PostClipper(MonitorClipperRequest? body, MarketSourcesService service, CancellationToken ct)
    {
        var (clipper, channel) = await service.AddClipperAsync(body?.Platform, body?.Handle, body?.CreatorIds, ct);
        return TypedResults.Created($"/api/market/creators", new MonitoredClipperResponse(clipper.Id, clipper.Handle, clipper.Platform, channel.ExternalId, channel.CreatorIds));
    }

    private static async Task<Ok<IReadOnlyList<SourceRun>>> GetRuns(IMarketSourceStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.GetRunsAsync(50, ct));

    private static async Task<Ok<IReadOnlyList<LiveNow>>> GetLive(IMarketSourceStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.GetLiveAsync(ct));
}
