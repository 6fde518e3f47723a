namespace Terminal.Web.Features.Cluster;

/// <summary>
/// This node among the nodes that share <c>Terminal:Redis</c>: its id (the producer lease's holder, the
/// origin of what it publishes) and whether there are other nodes to speak to at all.
/// </summary>
public sealed class ClusterNode
{
    public ClusterNode(IConfiguration configuration)
    {
        IsClustered = !string.IsNullOrWhiteSpace(configuration["Terminal:Redis"]);
        var machine = Environment.MachineName;
        // Unique even for two hosts in one process (tests); at most 64 characters (the Leases.Holder column).
        Id = $"{machine[..Math.Min(machine.Length, 24)]}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    }

    public string Id { get; }

    /// <summary>True when <c>Terminal:Redis</c> is set: the node may have peers.</summary>
    public bool IsClustered { get; }

    /// <summary>
    /// What this node appends to the hub group names of trend ticks. Ticks are made on every node for its
    /// own connections (each node's engine ingests the same feed), so a tick must not reach the other
    /// nodes' connections through the SignalR Redis backplane: with a node-scoped group only this node's
    /// connections are members. Empty on a single node (group names as they always were).
    /// </summary>
    public string TickGroupScope => IsClustered ? "@" + Id : "";
}
