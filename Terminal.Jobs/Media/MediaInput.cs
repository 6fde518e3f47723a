using Terminal.Core.Market;

namespace Terminal.Jobs.Media;

/// <summary>
/// What ffmpeg reads for a VOD, and what it may use to read it (SPEC §4, §8): a local demo file with
/// <c>file</c> only, or a URL of our loopback <see cref="MediaProxy"/> with <c>http,tcp,crypto</c> —
/// never <c>file</c>, <c>https</c> or anything else, so ffmpeg cannot reach the network but through the
/// proxy, whose every URL was checked. A format whitelist keeps ffmpeg to video containers (no
/// concat lists, DASH manifests or image sequences that could name other files). Dispose to close the
/// proxy session.
/// </summary>
public sealed record MediaInput(string Url, string ProtocolWhitelist, bool IsLocal) : IAsyncDisposable
{
    public const string LocalProtocols = "file";
    public const string RemoteProtocols = "http,tcp,crypto";
    public const string Formats = "mov,mp4,m4a,3gp,matroska,webm,mpegts,hls,aac,mp3,ac3,eac3,flv,avi";

    /// <summary>The formats ffmpeg may open this input as; a local copy of remote bytes narrows it (no playlist that could name local files).</summary>
    public string FormatWhitelist { get; init; } = Formats;

    /// <summary>The proxy session of a remote source; null for a local file.</summary>
    public MediaProxySession? Session { get; init; }

    /// <summary>The generic reason a failed run is shown with: what the proxy saw, else <paramref name="fallback"/>.</summary>
    public string Explain(string fallback) => Session?.Failure ?? fallback;

    /// <summary>The input options that must precede <c>-i</c>.</summary>
    public IEnumerable<string> InputArguments(double? seekSeconds = null)
    {
        foreach (var option in ReadLimits())
        {
            yield return option;
        }

        if (seekSeconds is { } seek)
        {
            yield return "-ss";
            yield return seek.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        }

        yield return "-i";
        yield return Url;
    }

    /// <summary>
    /// What ffmpeg/ffprobe may use to read this input: the protocol and format whitelists and, for a remote
    /// source, the stalled-read timeout. Values hold no spaces, so they can also travel as one argument string.
    /// </summary>
    public IEnumerable<string> ReadLimits()
    {
        yield return "-protocol_whitelist";
        yield return ProtocolWhitelist;
        yield return "-format_whitelist";
        yield return FormatWhitelist;
        if (!IsLocal)
        {
            // Give up on a stalled read instead of hanging the job (the proxy's own idle timeout is shorter).
            yield return "-rw_timeout";
            yield return "30000000";
        }
    }

    /// <summary>The remote source this input reads (the URL behind the proxy); null for a local file.</summary>
    public Uri? RemoteSource => IsLocal ? null : Session?.Source ?? (Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri : null);

    public ValueTask DisposeAsync() => Session?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>Turns a VOD row into a <see cref="MediaInput"/>, generating demo media on first use.</summary>
public sealed class MediaSources(DemoMediaGenerator demo, SourceUrlGuard guard, MediaProxy proxy)
{
    public const string DemoScheme = "demo";

    public static bool IsDemoSource(Vod vod) =>
        vod.IsDemo || vod.SourceUrl.StartsWith(DemoScheme + "://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The input of a VOD; throws <see cref="MediaException"/> with a generic reason when the source is refused or unreachable.</summary>
    public async Task<MediaInput> ResolveAsync(Vod vod, CancellationToken cancellationToken)
    {
        if (IsDemoSource(vod))
        {
            var path = await demo.EnsureAsync(vod.Id, vod.DurationSeconds, cancellationToken);
            return new MediaInput(path, MediaInput.LocalProtocols, IsLocal: true);
        }

        Uri uri;
        try
        {
            // Checked again at use: the rules or the name's addresses may have changed since registration.
            uri = await guard.CheckAsync(vod.SourceUrl, cancellationToken);
        }
        catch (Terminal.Core.Common.TerminalException e)
        {
            throw new MediaException(e.Code == "forbidden_source" ? MediaFailure.RefusedAddress : MediaFailure.Unreachable, e.Message);
        }

        var session = await proxy.OpenAsync(uri, cancellationToken);
        return new MediaInput(session.EntryUrl, MediaInput.RemoteProtocols, IsLocal: false) { Session = session };
    }
}
