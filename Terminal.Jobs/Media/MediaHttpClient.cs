using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Terminal.Jobs.Media;

/// <summary>A response of <see cref="MediaHttpClient"/> and the URL it finally came from (after redirects).</summary>
public sealed record MediaResponse(HttpResponseMessage Message, Uri FinalUri) : IDisposable
{
    public void Dispose() => Message.Dispose();
}

/// <summary>
/// The only way the media pipeline reaches the network (SPEC §4, §8). Redirects are followed here, one
/// hop at a time, each re-checked; the <c>ConnectCallback</c> resolves the name itself and connects only
/// to addresses <see cref="AddressPolicy"/> allows, so the address actually connected to is the one
/// checked (no DNS rebinding between check and use); headers must arrive within the read timeout.
/// Failures are <see cref="MediaFetchException"/>s carrying a generic reason.
/// </summary>
public sealed class MediaHttpClient : IDisposable
{
    public const int MaxRedirects = 5;
    private readonly HttpClient _http;
    private readonly AllowedConnector _connector;
    private readonly IOptions<MediaOptions> _options;
    private readonly ILogger<MediaHttpClient> _logger;

    public MediaHttpClient(AddressPolicy policy, HostResolver resolver, IOptions<MediaOptions> options, ILogger<MediaHttpClient> logger)
    {
        _connector = new AllowedConnector(policy, resolver);
        _options = options;
        _logger = logger;
        #pragma warning disable CA2000 // the handler is owned and disposed by _http (HttpClient disposeHandler: true)
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = ReadTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = _connector.ConnectAsync,
        };
        #pragma warning restore CA2000
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("ClipTerminal/1.0");
    }

    private TimeSpan ReadTimeout => TimeSpan.FromSeconds(_options.Value.ReadTimeoutSeconds);

    /// <summary>
    /// Checks a URL before it is handed on (registration, every URL of a playlist): http(s) only, no
    /// credentials, and every address its host resolves to allowed. Throws <see cref="MediaFetchException"/>.
    /// </summary>
    public async Task CheckAsync(Uri uri, CancellationToken cancellationToken)
    {
        CheckShape(uri);
        var addresses = await _connector.ResolveAsync(uri.IdnHost, cancellationToken);
        if (addresses.FirstOrDefault(a => !_connector.IsAllowed(uri, a)) is { } refused)
        {
            throw new MediaFetchException(MediaFailure.RefusedAddress, $"{uri.IdnHost} resolves to {refused}, which the address rules refuse.");
        }
    }

    /// <summary>GET with an optional <c>Range</c> header, following up to <see cref="MaxRedirects"/> redirects, each hop checked.</summary>
    public async Task<MediaResponse> GetAsync(Uri uri, RangeHeaderValue? range, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            CheckShape(current);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.Range = range;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReadTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new MediaFetchException(MediaFailure.TooSlow, $"{current} sent no headers within {ReadTimeout.TotalSeconds} s.");
            }
            catch (HttpRequestException e)
            {
                for (Exception? inner = e; inner is not null; inner = inner.InnerException)
                {
                    if (inner is MediaFetchException fetch)
                    {
                        throw new MediaFetchException(fetch.Reason, fetch.Message, e);
                    }
                }

                throw new MediaFetchException(MediaFailure.Unreachable, $"{current}: {e.Message}", e);
            }

            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (hop >= MaxRedirects)
                {
                    throw new MediaFetchException(MediaFailure.Unreachable, $"{uri} redirected more than {MaxRedirects} times.");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                _logger.LogDebug("Media source {From} redirects to {To}", current, next);
                current = next;
                continue;
            }

            return new MediaResponse(response, current);
        }
    }

    private static void CheckShape(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new MediaFetchException(MediaFailure.RefusedAddress, $"{uri} is not a plain http(s) URL.");
        }
    }

    public void Dispose() => _http.Dispose();
}
