namespace Terminal.Core.Market;

/// <summary>
/// Whether this node produces the market: steps the DEMO model, polls the real platforms and publishes
/// the contributed syncs. On one node it always does; with several nodes (<c>Terminal:Redis</c>) exactly
/// one holds the producer lease and the others only ingest what it publishes.
/// </summary>
public interface IMarketProducer
{
    /// <summary>True while this node may produce.</summary>
    bool IsProducer { get; }

    /// <summary>
    /// Goes up every time this node becomes the producer, so a source with in-memory state (the DEMO
    /// model) knows to catch up with what the previous producer stored before it steps again.
    /// </summary>
    long Term { get; }

    /// <summary>True when other nodes may run beside this one (they share the database and the feed).</summary>
    bool HasPeers { get; }
}

/// <summary>A single node: always the producer, and always in its first (and only) term.</summary>
public sealed class SingleNodeMarketProducer : IMarketProducer
{
    public bool IsProducer => true;

    public long Term => 0;

    public bool HasPeers => false;
}
