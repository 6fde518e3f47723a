using Terminal.Core.Clips;
using Terminal.Core.Market;

namespace Terminal.Web.Features.Clips;

/// <summary><c>POST /api/clips/request</c> body (seconds, decimals allowed).</summary>
public sealed record ClipRequestBody(Guid? VodId, double? StartTime, double? EndTime, string? Mode);

public sealed record ClipAccepted(Guid RequestId, ClipStatus Status, DateTime EstimatedCompletion);

/// <param name="Strategy">How the file was cut (<c>copy</c>, <c>smart</c>, <c>reencode</c>); null until it is.</param>
public sealed record ClipStatusDto(Guid RequestId, ClipStatus Status, double Progress, string? Error, ClipCutStrategy? Strategy = null);

public sealed record ClipDownloadDto(string Url, DateTime ExpiresAt);

/// <summary>A request as its owner's job list and ADMIN see it (<c>FallbackReason</c>: why an exact clip was not smart-cut).</summary>
public sealed record ClipJobDto(
    Guid RequestId, Guid VodId, ClipMode Mode, double StartTime, double EndTime, ClipStatus Status, double Progress, string? Error,
    int Credits, string? Worker, int Attempts, DateTime CreatedAt, DateTime? StartedAt, DateTime? CompletedAt, DateTime? ExpiresAt, string? UserId,
    ClipCutStrategy? Strategy = null, string? FallbackReason = null)
{
    public static ClipJobDto From(ClipRequest r, bool withUser = false) => new(
        r.Id, r.VodId, r.Mode, r.StartSeconds, r.EndSeconds, r.Status, Math.Round(r.Progress, 1), r.Error, r.Credits, r.Worker, r.Attempts,
        r.CreatedAt, r.StartedAt, r.CompletedAt, r.ExpiresAt, withUser ? r.UserId : null, r.Strategy, r.FallbackReason);
}

/// <summary><c>POST /api/vods</c> body.</summary>
public sealed record VodRegistration(int? CreatorId, string? Title, string? SourceUrl);

public sealed record VodCreated(Guid Id, VodStatus Status);

/// <summary>A VOD with what the probe found, as the clip desk reads it.</summary>
public sealed record VodDetail(
    Guid Id, int CreatorId, string Title, VodStatus Status, string? Error, double? DurationSeconds, int? Width, int? Height,
    string? VideoCodec, string? AudioCodec, double? FrameRate, int ThumbnailTiles, string? ThumbnailUrl, string? MediaUrl, bool IsDemo, DateTime PublishedAt,
    string? PosterUrl = null);

public static class ClipModes
{
    public static bool TryParse(string? value, out ClipMode mode)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "fast":
                mode = ClipMode.Fast;
                return true;
            case "exact":
                mode = ClipMode.Exact;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}
