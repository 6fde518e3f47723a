using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Terminal.Core.Clips;
using Terminal.Core.Market;

namespace Terminal.Web.Features.Clips;

/// <summary>The <c>/api/admin/clips</c> query string, bound as sent and parsed once by <see cref="Parse"/>.</summary>
public sealed class ClipQueueParameters
{
    public const int DefaultTake = 200;
    public const int MaxTake = 1000;

    /// <summary>Optional state: pending, processing, ready, failed or cancelled.</summary>
    [FromQuery(Name = "status")] public string? Status { get; init; }

    /// <summary>Rows returned, 1–1000 (default 200), newest first.</summary>
    [FromQuery(Name = "take")] public string? Take { get; init; }

    public (ClipStatus? Status, int Take) Parse() =>
        (QueryParameters.ParseClipStatus(Status), QueryParameters.ParseTake(Take, DefaultTake, MaxTake));
}

/// <summary>The <c>/api/clips</c> query string (the caller's requests), parsed once by <see cref="Parse"/>.</summary>
public sealed class ClipListParameters
{
    public const int DefaultTake = 50;
    public const int MaxTake = 500;

    /// <summary>Optional VOD id: only requests cut from that VOD.</summary>
    [FromQuery(Name = "vodId")] public string? VodId { get; init; }

    /// <summary>Rows returned, 1–500 (default 50), newest first.</summary>
    [FromQuery(Name = "take")] public string? Take { get; init; }

    public (Guid? VodId, int Take) Parse() =>
        (QueryParameters.ParseVodId(VodId), QueryParameters.ParseTake(Take, DefaultTake, MaxTake));
}

/// <summary>The signed link's query string on <c>/api/clips/file/{id}</c>: any missing or malformed part is an invalid link (403).</summary>
public sealed class ClipFileLinkParameters
{
    /// <summary>Unix seconds when the link expires.</summary>
    [FromQuery(Name = "expires")] public string? Expires { get; init; }

    /// <summary>The link's signature.</summary>
    [FromQuery(Name = "sig")] public string? Sig { get; init; }

    /// <summary>True when the link is whole and <paramref name="signer"/> accepts it for <paramref name="requestId"/>.</summary>
    public bool IsValidFor(Guid requestId, ClipLinkSigner signer) =>
        long.TryParse(Expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) && signer.Verify(requestId, expires, Sig);
}
