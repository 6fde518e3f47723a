namespace Terminal.Core.Cluster;

/// <summary>A named lease in the shared database: who holds it and until when.</summary>
public sealed class Lease
{
    /// <summary>What is leased, e.g. <c>linked-account-refresh:42</c>.</summary>
    public required string Name { get; set; }

    /// <summary>An id the holder chose (unique per holder: a node, or one call).</summary>
    public required string Holder { get; set; }

    public DateTime ExpiresAt { get; set; }
}

/// <summary>
/// Mutual exclusion across nodes through the shared database: a lease is held by one holder until
/// it is released or expires (so a node that dies mid-work does not block the others for longer than
/// the lease's duration).
/// </summary>
public interface ILeases
{
    /// <summary>
    /// Takes the lease when it is free or expired, or renews it when <paramref name="holder"/> already
    /// holds it, until now + <paramref name="duration"/>. False when someone else holds it.
    /// </summary>
    Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up if <paramref name="holder"/> holds it.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken);
}

public static class LeaseExtensions
{
    /// <summary>How often a waiting caller tries again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Waits until the lease is taken (by a fresh holder id) and returns what gives it up. The work done
    /// under it must finish within <paramref name="duration"/>, after which another holder may take it.
    /// </summary>
    public static async Task<IAsyncDisposable> AcquireAsync(this ILeases leases, string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        var holder = Guid.NewGuid().ToString("N");
        while (!await leases.TryAcquireAsync(name, holder, duration, cancellationToken))
        {
            await Task.Delay(RetryInterval, cancellationToken);
        }

        return new Held(leases, name, holder);
    }

    private sealed class Held(ILeases leases, string name, string holder) : IAsyncDisposable
    {
        // Released even when the caller was cancelled: the lease must not outlive the work by its whole duration.
        public async ValueTask DisposeAsync() => await leases.ReleaseAsync(name, holder, CancellationToken.None);
    }
}
