using Terminal.Core.Market;

namespace Terminal.Jobs.Media;

/// <summary>
/// What ffmpeg reads for a VOD, and the protocols it may use to read it: <c>file</c> only for local
/// demo files; http(s) and what HLS needs for remote ones — never <c>file</c>, so a playlist cannot
/// point ffmpeg at local files (SPEC §4).
/// </summary>
public sealed record MediaInput(string Url, string ProtocolWhitelist, bool IsLocal)
{
    public const string LocalProtocols = "file";
    public const string RemoteProtocols = "http,https,tcp,tls,crypto,hls";

    /// <summary>The input options that must precede <c>-i</c>.</summary>
    public IEnumerable<string> InputArguments(double? seekSeconds = null)
    {
        yield return "-protocol_whitelist";
        yield return ProtocolWhitelist;
        if (!IsLocal)
        {
            // Give up on a stalled remote read after 15 s instead of hanging the job.
            yield return "-rw_timeout";
            yield return "15000000";
        }

        if (seekSeconds is { } seek)
        {
            yield return "-ss";
            yield return seek.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        }

        yield return "-i";
        yield return Url;
    }
}

/// <summary>Turns a VOD row into a <see cref="MediaInput"/>, generating demo media on first use.</summary>
public sealed class MediaSources(DemoMediaGenerator demo, SourceUrlGuard guard)
{
    public const string DemoScheme = "demo";

    public static bool IsDemoSource(Vod vod) =>
        vod.IsDemo || vod.SourceUrl.StartsWith(DemoScheme + "://", StringComparison.OrdinalIgnoreCase);

    public async Task<MediaInput> ResolveAsync(Vod vod, CancellationToken cancellationToken)
    {
        if (IsDemoSource(vod))
        {
            var path = await demo.EnsureAsync(vod.Id, vod.DurationSeconds, cancellationToken);
            return new MediaInput(path, MediaInput.LocalProtocols, IsLocal: true);
        }

        try
        {
            // Checked again at use: the host may resolve differently than at registration.
            var uri = await guard.CheckAsync(vod.SourceUrl, cancellationToken);
            return new MediaInput(uri.AbsoluteUri, MediaInput.RemoteProtocols, IsLocal: false);
        }
        catch (Terminal.Core.Common.TerminalException e)
        {
            throw new MediaException(e.Message);
        }
    }
}
