namespace Terminal.Core.Market;

/// <summary>The stored snapshot history, as the thinning job sees it (implemented in Terminal.Data).</summary>
public interface IMarketHistory
{
    /// <summary>The instant of the oldest stored snapshot, or null when there is none.</summary>
    Task<DateTime?> OldestSnapshotAtAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies <see cref="HistoryThinning"/> (as of <paramref name="now"/>) to the snapshots in
    /// <c>[from, to)</c>, a range of whole buckets, deleting what it drops in small batches.
    /// </summary>
    Task<ThinningResult> ThinAsync(DateTime from, DateTime to, DateTime now, CancellationToken cancellationToken);
}

/// <summary>What one thinning pass read and deleted.</summary>
public readonly record struct ThinningResult(int Read, int Deleted)
{
    public static ThinningResult operator +(ThinningResult a, ThinningResult b) => new(a.Read + b.Read, a.Deleted + b.Deleted);
}
