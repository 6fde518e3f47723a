using System.Net;
using System.Net.Sockets;

namespace Terminal.Jobs.Media;

/// <summary>
/// The connect step of every outbound client that must not reach a refused address (media sources,
/// alert webhooks): it resolves the host itself and connects only to addresses <see cref="AddressPolicy"/>
/// allows, re-checking the address actually connected to, so nothing can rebind DNS between check and use.
/// Failures are <see cref="MediaFetchException"/>s (a <c>SocketsHttpHandler</c> hands them on wrapped in an
/// <see cref="HttpRequestException"/>).
/// </summary>
public sealed class AllowedConnector(AddressPolicy policy, HostResolver resolver)
{
    /// <summary>True when the rules allow <paramref name="address"/> for <paramref name="uri"/>.</summary>
    public bool IsAllowed(Uri uri, IPAddress address) => policy.IsAllowed(uri, address);

    /// <summary>Every address of <paramref name="host"/> (brackets of an IPv6 literal trimmed); throws when it does not resolve.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new MediaFetchException(MediaFailure.Unreachable, $"{host} does not resolve: {e.SocketErrorCode}", e);
        }

        return addresses.Length > 0 ? addresses : throw new MediaFetchException(MediaFailure.Unreachable, $"{host} does not resolve.");
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/>: the first allowed address that answers.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var uri = context.InitialRequestMessage.RequestUri!;
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => policy.IsAllowed(uri, a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new MediaFetchException(MediaFailure.RefusedAddress,
                $"{context.DnsEndPoint.Host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, which the address rules refuse.");
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            #pragma warning disable CA2000 // ownership passes to the returned NetworkStream (ownsSocket: true); the catch blocks dispose it on failure
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            #pragma warning restore CA2000
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                if (socket.RemoteEndPoint is not IPEndPoint connected || !policy.IsAllowed(uri, connected.Address))
                {
                    throw new MediaFetchException(MediaFailure.RefusedAddress, $"Connected to a refused address {socket.RemoteEndPoint}.");
                }

                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new MediaFetchException(MediaFailure.Unreachable, $"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}: {last?.Message}", last);
    }
}
