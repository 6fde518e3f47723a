using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Terminal.Jobs.Media;

/// <summary>
/// The bounded queue of VOD preparations (probe, thumbnail strip, player preview), apart from Quartz:
/// a source that sends a header and then trickles holds one of this queue's
/// <see cref="MediaOptions.MaxConcurrentPreparations"/> consumers, never a Quartz thread that market
/// ticks, syncs and clip jobs need (SPEC §4). A VOD is queued once however often it is asked for.
/// </summary>
public sealed class MediaPreparationQueue
{
    /// <summary>Preparations that may wait on one node; a full queue makes the caller wait in turn.</summary>
    public const int Capacity = 1024;

    private readonly Channel<Guid> _queue = Channel.CreateBounded<Guid>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<Guid, byte> _queued = new();

    /// <summary>Preparations waiting for a consumer (ADMIN, tests).</summary>
    public int Waiting => _queue.Reader.Count;

    /// <summary>Queues the preparation of <paramref name="vodId"/> unless it is already queued or running.</summary>
    public async ValueTask EnqueueAsync(Guid vodId, CancellationToken cancellationToken = default)
    {
        if (!_queued.TryAdd(vodId, 0))
        {
            return;
        }

        try
        {
            await _queue.Writer.WriteAsync(vodId, cancellationToken);
        }
        catch
        {
            _queued.TryRemove(vodId, out _);
            throw;
        }
    }

    internal ChannelReader<Guid> Reader => _queue.Reader;

    /// <summary>Called by a consumer once the preparation of <paramref name="vodId"/> has ended (it may be queued again).</summary>
    internal void Done(Guid vodId) => _queued.TryRemove(vodId, out _);
}
