using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Terminal.Core.Clips;

namespace Terminal.Jobs.Clips;

/// <summary>
/// At start (SPEC §8 "a process killed mid-job loses nothing"): takes back the requests left
/// <c>processing</c> whose lease has lapsed — back to <c>pending</c>, or failed and refunded once they
/// used up their attempts — kills any ffmpeg still writing their temp files and deletes those files,
/// then queues every pending request again. A clip another node is running (its lease is live) is
/// left alone, with its temp file.
/// </summary>
/// <remarks>While nodes run, <see cref="ClipLeaseRecoveryJob"/> takes back lapsed leases the same way every minute.</remarks>
public sealed class ClipRecoveryService(
    IClipRequests requests,
    ExpiredClipLeases leases,
    ClipQueue queue,
    ILogger<ClipRecoveryService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var taken = await leases.TakeBackAsync(cancellationToken);
        var pending = await requests.PendingIdsAsync(cancellationToken);
        foreach (var id in pending)
        {
            await queue.EnqueueClipAsync(id, cancellationToken: cancellationToken);
        }

        if (taken.Count > 0 || pending.Count > 0)
        {
            logger.LogInformation("Clip recovery: {Taken} interrupted request(s) taken back, {Pending} pending request(s) queued", taken.Count, pending.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
