using System.ComponentModel.DataAnnotations;

namespace Terminal.Web.Features.Cluster;

/// <summary>How the nodes that share <c>Terminal:Redis</c> share the market feed (<c>Terminal:Cluster</c>).</summary>
public sealed class MarketClusterOptions
{
    public const string Section = "Terminal:Cluster";

    /// <summary>
    /// How long the producer lease lasts without renewal: a producer that dies is replaced within about
    /// this long (a node that stops cleanly hands over at once). Renewed every third of it.
    /// </summary>
    [Range(1, 300)]
    public double ProducerLeaseSeconds { get; set; } = 6;

    /// <summary>How many market batches the Redis stream keeps (approximately) for nodes that fell behind.</summary>
    [Range(100, 1_000_000)]
    public int StreamLength { get; set; } = 10_000;
}
