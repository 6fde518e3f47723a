using System.Net;

namespace Terminal.Jobs.Media;

/// <summary>DNS for the media pipeline; a seam so tests can make a name resolve to a chosen address.</summary>
public class HostResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? Task.FromResult(new[] { literal }) : Dns.GetHostAddressesAsync(host, cancellationToken);
}
