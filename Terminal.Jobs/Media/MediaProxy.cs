using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Terminal.Jobs.Media;

/// <summary>
/// A loopback-only HTTP server through which ffmpeg reads remote sources (SPEC §4, §8). ffmpeg is given
/// a URL of this proxy, never the source's: every byte it reads comes through <see cref="MediaHttpClient"/>
/// (redirects and the connected address checked), HLS playlists are parsed and rewritten here so every
/// segment, key, map and variant URL is checked and points back at the proxy, and each session has a
/// byte budget and an idle timeout. Started on first use on 127.0.0.1 with an ephemeral port.
/// </summary>
public sealed class MediaProxy(MediaHttpClient client, IOptions<MediaOptions> options, ILogger<MediaProxy> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, MediaProxySession> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private WebApplication? _app;
    private string? _baseUrl;

    /// <summary>Opens a session whose entry URL stands for <paramref name="source"/>; dispose it when the ffmpeg run is over.</summary>
    public async Task<MediaProxySession> OpenAsync(Uri source, CancellationToken cancellationToken)
    {
        var baseUrl = await EnsureStartedAsync(cancellationToken);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var session = new MediaProxySession(token, $"{baseUrl}/m/{token}", source, client, options.Value, logger, () => _sessions.TryRemove(token, out _));
        _sessions[token] = session;
        return session;
    }

    /// <summary>Sessions open now (tests check none is left behind).</summary>
    public int OpenSessions => _sessions.Count;

    private async Task<string> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_baseUrl is { } ready)
        {
            return ready;
        }

        await _startGate.WaitAsync(cancellationToken);
        try
        {
            if (_baseUrl is { } started)
            {
                return started;
            }

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, 0);
                k.AddServerHeader = false;
            });
            var app = builder.Build();
            app.Run(HandleAsync);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            _app = app;
            _baseUrl = address.TrimEnd('/');
            logger.LogInformation("Media proxy listening on {Address}", _baseUrl);
            return _baseUrl;
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var parts = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (!HttpMethods.IsGet(context.Request.Method) || parts.Length < 3 || parts[0] != "m" ||
            !_sessions.TryGetValue(parts[1], out var session) || !int.TryParse(parts[2], out var index))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        RangeHeaderValue? range = null;
        if (context.Request.Headers.Range.ToString() is { Length: > 0 } header && !RangeHeaderValue.TryParse(header, out range))
        {
            range = null;
        }

        await session.ServeAsync(context, index, range);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _startGate.Dispose();
    }
}
