using Terminal.Core.Clips;
using Terminal.Core.Credits;
using Terminal.Core.Market;
using Terminal.Jobs.Clips;

namespace Terminal.Web.Features.Clips;

/// <summary>One clip job as the desk shows it (a view of the request row, never the row itself).</summary>
public sealed record ClipJobView(
    Guid Id, double StartSeconds, double EndSeconds, ClipMode Mode, ClipStatus Status, double Progress,
    string? Error, int Credits, bool HasOutput,
    DateTime CreatedAt, DateTime? StartedAt, long? OutputBytes, DateTime? ExpiresAt, double EstimatedSeconds)
{
    public bool IsFinal => Status is ClipStatus.Ready or ClipStatus.Failed or ClipStatus.Cancelled;

    public static ClipJobView Of(ClipRequest r) => new(
        r.Id, r.StartSeconds, r.EndSeconds, r.Mode, r.Status, r.Progress, r.Error, r.Credits, r.OutputFile is not null,
        r.CreatedAt, r.StartedAt, r.OutputBytes, r.ExpiresAt, ClipService.EstimateSeconds(r));
}

/// <summary>What the desk shows of one VOD when it opens: the VOD, its creator, hot zones, the user's jobs and credits.</summary>
public sealed record ClipDeskView(VodDetail Vod, string? CreatorName, double[] HotZones, IReadOnlyList<ClipJobView> Jobs, int Credits);

/// <summary>A job after a change made at the desk, with the user's balance after it.</summary>
public sealed record ClipJobChange(ClipJobView Job, int Credits);

/// <summary>
/// The clip screens' one way into the product (the picker and the desk): VOD reads, preparation,
/// the user's clip jobs and credits, progress subscriptions and download links, all as view records.
/// </summary>
public sealed class ClipDesk(
    ClipDeskQueries queries, VodMediaService media, ClipService clips, ClipProgressFeed progress, ClipLinkSigner links, ICreditLedger ledger)
{
    /// <summary>Bins of the hot-zone strip over the timeline.</summary>
    public const int HeatBins = 120;

    /// <summary>The picker's list, newest first.</summary>
    public Task<IReadOnlyList<VodDetail>> RecentVodsAsync(int take, CancellationToken cancellationToken) =>
        queries.RecentVodsAsync(take, cancellationToken);

    /// <summary>The VOD alone (polled while its media is being prepared); null when no VOD has that id.</summary>
    public Task<VodDetail?> VodAsync(Guid vodId, CancellationToken cancellationToken) =>
        queries.GetVodAsync(vodId, cancellationToken);

    /// <summary>True once the player can show the VOD.</summary>
    public static bool IsPrepared(VodDetail vod) => vod.Status == VodStatus.Ready && vod.MediaUrl is not null;

    /// <summary>True when the desk has nothing more to wait for: prepared, or failed for good.</summary>
    public static bool IsSettled(VodDetail vod) => IsPrepared(vod) || vod.Status == VodStatus.Failed;

    /// <summary>Opens the desk on a VOD, starting its preparation when it has no media yet; null when no VOD has that id.</summary>
    public async Task<ClipDeskView?> OpenAsync(string userId, Guid vodId, CancellationToken cancellationToken)
    {
        var vod = await queries.GetVodAsync(vodId, cancellationToken);
        if (vod is null)
        {
            return null;
        }

        if (vod.MediaUrl is null && vod.Status != VodStatus.Failed)
        {
            await media.EnsurePreparedAsync(vodId, cancellationToken);
        }

        var creator = await queries.CreatorNameAsync(vod.CreatorId, cancellationToken);
        var hotZones = vod.DurationSeconds is { } duration
            ? await queries.HotZonesAsync(vodId, duration, HeatBins, cancellationToken)
            : [];
        var jobs = await clips.ListForUserAsync(userId, vodId, 20, cancellationToken);
        var credits = await ledger.GetBalanceAsync(userId, cancellationToken);
        return new ClipDeskView(vod, creator, hotZones, jobs.Select(ClipJobView.Of).ToList(), credits);
    }

    public async Task<ClipJobChange> RequestAsync(string userId, Guid vodId, double inSeconds, double outSeconds, ClipMode mode, CancellationToken cancellationToken) =>
        await ChangedAsync(userId, await clips.RequestAsync(userId, vodId, inSeconds, outSeconds, mode, cancellationToken), cancellationToken);

    public async Task<ClipJobChange> CancelAsync(string userId, Guid requestId, CancellationToken cancellationToken) =>
        await ChangedAsync(userId, await clips.CancelAsync(requestId, userId, cancellationToken), cancellationToken);

    public async Task<ClipJobChange> RetryAsync(string userId, Guid requestId, CancellationToken cancellationToken) =>
        await ChangedAsync(userId, await clips.RetryAsync(requestId, userId, cancellationToken), cancellationToken);

    /// <summary>The job as stored now (after a final progress push), with the balance (a failure refunds).</summary>
    public async Task<ClipJobChange> JobAsync(string userId, Guid requestId, CancellationToken cancellationToken) =>
        await ChangedAsync(userId, await clips.GetAsync(requestId, userId, cancellationToken), cancellationToken);

    /// <summary>Progress pushes for the user's jobs until the subscription is disposed.</summary>
    public IDisposable Subscribe(string userId, Func<ClipProgress, Task> handler) => progress.Subscribe(userId, handler);

    /// <summary>A signed, short-lived download link of a finished clip.</summary>
    public string DownloadUrl(Guid requestId) => links.Create(requestId).PathAndQuery;

    private async Task<ClipJobChange> ChangedAsync(string userId, ClipRequest request, CancellationToken cancellationToken) =>
        new(ClipJobView.Of(request), await ledger.GetBalanceAsync(userId, cancellationToken));
}
