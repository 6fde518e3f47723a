using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Terminal.Core;
using Terminal.Core.Accounts;
using Terminal.Core.Clips;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;

namespace Terminal.Web.Features.Clips;

/// <summary>SPEC §4 VOD sources, clip requests, status, signed downloads, and the ADMIN clip queue.</summary>
public static class ClipEndpoints
{
    public static IEndpointRouteBuilder MapClipEndpoints(this IEndpointRouteBuilder app)
    {
        var vods = app.MapGroup("/api/vods").WithTags("VODs");
        vods.MapPost("/", RegisterVod)
            .WithSummary("Register an http(s) MP4/WebM or HLS source for a creator; a job probes it (probing → ready | failed).");
        vods.MapDelete("/{vodId:guid}", DeleteVod)
            .WithSummary("Delete a VOD (its submitter or an admin; 403 otherwise): 409 while it is probed or clips of it are pending or running; its finished clips go with it.");
        vods.MapGet("/{vodId:guid}", GetVod).WithSummary("A VOD with its probe results (duration, resolution, codecs, thumbnail strip).");
        vods.MapGet("/{vodId:guid}/media", GetVodMedia).WithSummary("The VOD's player file (MP4, Range supported).");
        vods.MapGet("/{vodId:guid}/thumbnails", GetThumbnails).WithSummary("The VOD's thumbnail strip (one JPEG sprite, tiles side by side).");
        vods.MapGet("/{vodId:guid}/poster", GetPoster).WithSummary("The VOD's poster frame (the strip's first tile, 160×90 JPEG); 404 until the VOD is probed.");

        var clips = app.MapGroup("/api/clips").WithTags("Clips");
        clips.MapPost("/request", RequestClip)
            .WithSummary("Request a clip {vodId,startTime,endTime,mode: fast|exact}: 202 with requestId; 400 bad range, 402 no credits, 404 unknown VOD.");
        clips.MapGet("/", ListMine).WithSummary("The caller's clip requests, newest first; optional `vodId`, `take` 1–500 (default 50).");
        clips.MapGet("/status/{requestId:guid}", GetStatus).WithSummary("Status and progress (0–100) of one of the caller's requests.");
        clips.MapGet("/download/{requestId:guid}", GetDownload).WithSummary("A signed, expiring link to the finished clip.");
        clips.MapPost("/{requestId:guid}/cancel", (Guid requestId, ClaimsPrincipal user, ClipService service, CancellationToken ct) => Cancel(requestId, UserId(user), service, ct))
            .WithSummary("Cancel a pending or running request (refunded).");
        clips.MapPost("/{requestId:guid}/retry", (Guid requestId, ClaimsPrincipal user, ClipService service, CancellationToken ct) => Retry(requestId, UserId(user), service, ct))
            .WithSummary("Run a failed or cancelled request again (charged again).");
        clips.MapGet("/file/{requestId:guid}", GetFile).AllowAnonymous()
            .WithSummary("Streams the clip (video/mp4, Range) for a valid, unexpired signature; no cookie or bearer needed.");

        var admin = app.MapGroup("/api/admin/clips").WithTags("Admin").RequireAuthorization(Roles.Admin);
        admin.MapGet("/", ListAll).WithSummary("The clip-job queue (state, progress, worker, age), optionally by status.");
        admin.MapPost("/{requestId:guid}/retry", (Guid requestId, ClipService service, CancellationToken ct) => Retry(requestId, null, service, ct))
            .WithSummary("Retry a failed or cancelled clip job.");
        admin.MapPost("/{requestId:guid}/cancel", (Guid requestId, ClaimsPrincipal principal, ClipService service, CancellationToken ct) => Cancel(requestId, null, service, ct, principal.Identity?.Name))
            .WithSummary("Cancel a pending or running clip job (refunded).");
        return app;
    }

    private static async Task<Created<VodCreated>> RegisterVod(VodRegistration body, ClaimsPrincipal user, VodMediaService vods, CancellationToken cancellationToken)
    {
        if (body.CreatorId is not { } creatorId)
        {
            throw TerminalException.BadRequest("invalid_creator_id", "creatorId is required (a creator id).");
        }

        var vod = await vods.RegisterAsync(UserId(user), creatorId, body.Title, body.SourceUrl, cancellationToken);
        return TypedResults.Created($"/api/vods/{vod.Id}", new VodCreated(vod.Id, vod.Status));
    }

    private static async Task<NoContent> DeleteVod(Guid vodId, ClaimsPrincipal user, VodMediaService vods, CancellationToken cancellationToken)
    {
        await vods.DeleteAsync(vodId, UserId(user), user.IsInRole(Roles.Admin), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<VodDetail>> GetVod(Guid vodId, ClipDeskQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.GetVodAsync(vodId, cancellationToken) ?? throw TerminalException.NotFound("vod_not_found", "No VOD has that id."));

    private static async Task<PhysicalFileHttpResult> GetVodMedia(Guid vodId, ClipDeskQueries queries, CancellationToken cancellationToken)
    {
        var path = await queries.PlayerFileAsync(vodId, cancellationToken) ?? throw TerminalException.NotFound("media_not_ready", "The VOD's player file is not ready.");
        return TypedResults.PhysicalFile(path, "video/mp4", enableRangeProcessing: true);
    }

    private static async Task<PhysicalFileHttpResult> GetThumbnails(Guid vodId, ClipDeskQueries queries, CancellationToken cancellationToken)
    {
        var path = await queries.ThumbnailFileAsync(vodId, cancellationToken) ?? throw TerminalException.NotFound("thumbnails_not_ready", "The VOD's thumbnail strip is not ready.");
        return TypedResults.PhysicalFile(path, "image/jpeg");
    }

    private static async Task<PhysicalFileHttpResult> GetPoster(Guid vodId, ClipDeskQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        string? path;
        try
        {
            path = await queries.PosterFileAsync(vodId, cancellationToken);
        }
        catch (MediaException)
        {
            path = null;
        }

        if (path is null)
        {
            throw TerminalException.NotFound("poster_not_ready", "The VOD's poster is not ready.");
        }

        response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.PhysicalFile(path, "image/jpeg");
    }

    private static async Task<Accepted<ClipAccepted>> RequestClip(ClipRequestBody body, ClaimsPrincipal user, ClipService service, CancellationToken cancellationToken)
    {
        if (body.VodId is not { } vodId)
        {
            throw TerminalException.BadRequest("invalid_vod", "vodId is required.");
        }

        if (body.StartTime is not { } start || body.EndTime is not { } end)
        {
            throw TerminalException.BadRequest("invalid_range", "startTime and endTime (seconds) are required.");
        }

        if (!ClipModes.TryParse(body.Mode, out var mode))
        {
            throw TerminalException.BadRequest("invalid_mode", "mode must be fast or exact.");
        }

        var request = await service.RequestAsync(UserId(user), vodId, start, end, mode, cancellationToken);
        var eta = await service.EstimateCompletionAsync(request, cancellationToken);
        return TypedResults.Accepted($"/api/clips/status/{request.Id}", new ClipAccepted(request.Id, request.Status, eta));
    }

    private static async Task<Ok<ClipJobDto[]>> ListMine([AsParameters] ClipListParameters query, ClaimsPrincipal user, ClipService service, CancellationToken cancellationToken)
    {
        var (vodId, take) = query.Parse();
        var list = await service.ListForUserAsync(UserId(user), vodId, take, cancellationToken);
        return TypedResults.Ok(list.Select(r => ClipJobDto.From(r)).ToArray());
    }

    private static async Task<Ok<ClipStatusDto>> GetStatus(Guid requestId, ClaimsPrincipal user, ClipService service, CancellationToken cancellationToken)
    {
        var r = await service.GetAsync(requestId, UserId(user), cancellationToken);
        return TypedResults.Ok(new ClipStatusDto(r.Id, r.Status, Math.Round(r.Progress, 1), r.Error, r.Strategy));
    }

    private static async Task<Ok<ClipDownloadDto>> GetDownload(
        Guid requestId, ClaimsPrincipal user, ClipService service, ClipLinkSigner signer, IPublicBaseUrl publicBase, CancellationToken cancellationToken)
    {
        var r = await service.GetAsync(requestId, UserId(user), cancellationToken);
        EnsureDownloadable(r);
        var (pathAndQuery, expiresAt) = signer.Create(r.Id);
        return TypedResults.Ok(new ClipDownloadDto(publicBase.Resolve() + pathAndQuery, expiresAt));
    }

    private static async Task<PhysicalFileHttpResult> GetFile(
        Guid requestId, [AsParameters] ClipFileLinkParameters link, ClipLinkSigner signer, ClipService service, MediaPaths paths, CancellationToken cancellationToken)
    {
        if (!link.IsValidFor(requestId, signer))
        {
            throw TerminalException.Forbidden("invalid_link", "The link is not valid or has expired; ask for a new one.");
        }

        var r = await service.GetAsync(requestId, null, cancellationToken);
        EnsureDownloadable(r);
        var path = Path.Combine(paths.ClipFolder, Path.GetFileName(r.OutputFile!));
        if (!File.Exists(path))
        {
            throw TerminalException.NotFound("clip_expired", "The clip file is gone.");
        }

        return TypedResults.PhysicalFile(path, "video/mp4", fileDownloadName: $"clip-{r.Id:N}.mp4", enableRangeProcessing: true);
    }

    private static async Task<Ok<ClipJobDto[]>> ListAll([AsParameters] ClipQueueParameters query, ClipService service, CancellationToken cancellationToken)
    {
        var (status, take) = query.Parse();
        var list = await service.ListAllAsync(status, take, cancellationToken);
        return TypedResults.Ok(list.Select(r => ClipJobDto.From(r, withUser: true)).ToArray());
    }

    private static async Task<Ok<ClipJobDto>> Cancel(Guid requestId, string? userId, ClipService service, CancellationToken cancellationToken, string? adminEmail = null) =>
        TypedResults.Ok(ClipJobDto.From(await service.CancelAsync(requestId, userId, adminEmail, cancellationToken), withUser: userId is null));

    private static async Task<Ok<ClipJobDto>> Retry(Guid requestId, string? userId, ClipService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(ClipJobDto.From(await service.RetryAsync(requestId, userId, cancellationToken), withUser: userId is null));

    private static void EnsureDownloadable(ClipRequest r)
    {
        if (r.Status != ClipStatus.Ready)
        {
            throw TerminalException.Conflict("clip_not_ready", $"The clip is {r.Status.ToString().ToLowerInvariant()}, not ready.");
        }

        if (r.OutputFile is null)
        {
            throw TerminalException.NotFound("clip_expired", "The clip has expired and its file was deleted.");
        }
    }

    private static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new TerminalException(ErrorKind.Unauthorized, "unauthorized", "Sign in first.");
}
