using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Terminal.Jobs.Clips;

/// <summary>
/// This node's bounded clip queue: Quartz hands a request id over (<see cref="ExtractClipJob"/>) and
/// returns at once, and <see cref="ClipOptions.MaxConcurrentJobs"/> consumers take ids off the queue
/// and run them. A request waiting for an encode slot waits here, holding neither a Quartz thread nor a
/// re-scheduled trigger; one that is cancelled meanwhile is skipped when its turn comes (its claim fails).
/// </summary>
public sealed class ClipDispatcher(ClipWorker worker, IOptions<ClipOptions> options, ILogger<ClipDispatcher> logger) : BackgroundService
{
    /// <summary>Requests that may wait on one node; a full queue makes the handing job wait in turn.</summary>
    public const int Capacity = 1024;

    private readonly Channel<Guid> _queue = Channel.CreateBounded<Guid>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Requests waiting for a consumer (ADMIN, tests).</summary>
    public int Waiting => _queue.Reader.Count;

    public ValueTask EnqueueAsync(Guid requestId, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(requestId, cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.MaxConcurrentJobs).Select(_ => ConsumeAsync(stoppingToken)));

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var requestId in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await worker.RunAsync(requestId, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // One bad run must not stop this consumer; the row stays as the worker left it and recovery or a retry picks it up.
                    logger.LogError(e, "Clip {RequestId} run faulted", requestId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: pending rows are queued again at the next start.
        }
    }
}
