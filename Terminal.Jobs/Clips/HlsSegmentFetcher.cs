using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>One media segment of an HLS playlist: its URL and its <c>#EXTINF</c> place on the playlist's timeline.</summary>
public sealed record HlsSegment(Uri Uri, double Start, double Duration, bool Discontinuity);

/// <summary>
/// A media playlist as smart cut needs it: the segments in order, or why its segments cannot be fetched and
/// joined byte-wise into one MPEG-TS (encryption, fMP4 init sections, byte ranges, separate audio renditions).
/// </summary>
public sealed record HlsMediaPlaylist(IReadOnlyList<HlsSegment> Segments, string? Unsupported)
{
    /// <summary>
    /// Parses a media playlist resolved against <paramref name="baseUri"/> (its own final URL). Returns null
    /// when the text is a master playlist (<paramref name="variant"/> then names the first variant — the one
    /// ffmpeg's <c>0:v:0</c> reads — and <paramref name="unsupported"/> says why it cannot be used, if so).
    /// </summary>
    public static HlsMediaPlaylist? Parse(string text, Uri baseUri, out Uri? variant, out string? unsupported)
    {
        variant = null;
        unsupported = null;
        var segments = new List<HlsSegment>();
        double? duration = null;
        var discontinuity = false;
        var position = 0.0;
        var master = false;
        var expectVariant = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
                {
                    var value = line["#EXTINF:".Length..].Split(',')[0];
                    duration = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d >= 0 ? d : null;
                    unsupported ??= duration is null ? "a segment without a duration" : null;
                }
                else if (line.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal))
                {
                    master = true;
                    expectVariant = variant is null;
                }
                else if (line.StartsWith("#EXT-X-MEDIA:", StringComparison.Ordinal) && line.Contains("TYPE=AUDIO", StringComparison.Ordinal) && line.Contains("URI=", StringComparison.Ordinal))
                {
                    unsupported ??= "audio in a separate rendition";
                }
                else if (line.StartsWith("#EXT-X-KEY:", StringComparison.Ordinal) && !line.Contains("METHOD=NONE", StringComparison.Ordinal))
                {
                    unsupported ??= "encrypted segments";
                }
                else if (line.StartsWith("#EXT-X-MAP:", StringComparison.Ordinal))
                {
                    unsupported ??= "fMP4 segments";
                }
                else if (line.StartsWith("#EXT-X-BYTERANGE", StringComparison.Ordinal))
                {
                    unsupported ??= "byte-range segments";
                }
                else if (line.StartsWith("#EXT-X-DISCONTINUITY", StringComparison.Ordinal) && !line.StartsWith("#EXT-X-DISCONTINUITY-SEQUENCE", StringComparison.Ordinal))
                {
                    discontinuity = true;
                }

                continue;
            }

            if (!Uri.TryCreate(baseUri, line, out var uri))
            {
                unsupported ??= "a URL that cannot be read";
                continue;
            }

            if (master)
            {
                if (expectVariant)
                {
                    variant = uri;
                    expectVariant = false;
                }

                continue;
            }

            if (duration is { } length)
            {
                segments.Add(new HlsSegment(uri, position, length, discontinuity));
                position += length;
            }

            duration = null;
            discontinuity = false;
        }

        if (master)
        {
            unsupported ??= variant is null ? "a master playlist without variants" : null;
            return null;
        }

        return new HlsMediaPlaylist(segments, unsupported ?? (segments.Count == 0 ? "no segments" : null));
    }

    /// <summary>
    /// The segments <c>[first, last]</c> that hold <c>[start, end)</c> on the playlist's timeline, widened by
    /// <paramref name="margin"/> on both sides (the timeline is ffmpeg's <c>-ss</c> timeline only to within the
    /// first packets' offsets and the <c>#EXTINF</c> rounding; the cut checks the fetched packets cover the range).
    /// </summary>
    public (int First, int Last) Span(double start, double end, double margin)
    {
        int IndexAt(double time)
        {
            for (var i = 0; i < Segments.Count; i++)
            {
                if (time < Segments[i].Start + Segments[i].Duration)
                {
                    return i;
                }
            }

            return Segments.Count - 1;
        }

        return (IndexAt(Math.Max(0, start - margin)), IndexAt(end + margin));
    }
}

/// <summary>
/// Reads an HLS source for smart cut through <see cref="MediaHttpClient"/> — the media pipeline's only way to
/// the network, so every playlist, variant and segment URL (and each redirect hop) is held to the address
/// rules on the address actually connected to (SPEC §4, §8) — and writes the segments a cut needs, byte for
/// byte, into one local MPEG-TS (TS segments concatenate; their timestamps carry on). The bytes read count
/// against <see cref="MediaOptions.MaxSourceBytes"/>.
/// </summary>
public sealed class HlsSegmentFetcher(MediaHttpClient client, IOptions<MediaOptions> options)
{
    private const int MaxPlaylistBytes = 4 << 20;
    private const byte TsSync = 0x47;

    /// <summary>
    /// The media playlist of <paramref name="source"/> (following a master playlist to its first variant), or null
    /// when the source is not a playlist. Throws <see cref="MediaFetchException"/> when a fetch fails or is refused.
    /// </summary>
    public async Task<HlsMediaPlaylist?> OpenAsync(Uri source, CancellationToken cancellationToken)
    {
        var budget = new Budget(options.Value.MaxSourceBytes);
        var (text, final) = await ReadPlaylistAsync(source, budget, cancellationToken);
        if (text is null)
        {
            return null;
        }

        var playlist = HlsMediaPlaylist.Parse(text, final, out var variant, out var unsupported);
        if (playlist is not null)
        {
            return playlist;
        }

        if (unsupported is not null || variant is null)
        {
            return new HlsMediaPlaylist([], unsupported ?? "a master playlist without variants");
        }

        var (variantText, variantFinal) = await ReadPlaylistAsync(variant, budget, cancellationToken);
        return variantText is null
            ? new HlsMediaPlaylist([], "a variant that is not a playlist")
            : HlsMediaPlaylist.Parse(variantText, variantFinal, out _, out _) ?? new HlsMediaPlaylist([], "nested master playlists");
    }

    /// <summary>
    /// Writes <paramref name="segments"/> one after the other into <paramref name="path"/>; false (and nothing kept
    /// worth reading) when a segment is not MPEG-TS. <paramref name="progress"/> gets the share of segments written.
    /// </summary>
    public async Task<bool> FetchAsync(IReadOnlyList<HlsSegment> segments, string path, Action<double>? progress, CancellationToken cancellationToken)
    {
        var budget = new Budget(options.Value.MaxSourceBytes);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        for (var i = 0; i < segments.Count; i++)
        {
            if (!await CopyAsync(segments[i].Uri, null, file, long.MaxValue, budget, cancellationToken))
            {
                return false;
            }

            progress?.Invoke((i + 1.0) / segments.Count);
        }

        return true;
    }

    /// <summary>The first <paramref name="bytes"/> of a segment (a <c>Range</c> request; a server that ignores it is read no further).</summary>
    public async Task<bool> FetchHeadAsync(HlsSegment segment, string path, int bytes, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        return await CopyAsync(segment.Uri, new RangeHeaderValue(0, bytes - 1), file, bytes, new Budget(options.Value.MaxSourceBytes), cancellationToken);
    }

    private async Task<bool> CopyAsync(Uri uri, RangeHeaderValue? range, Stream destination, long limit, Budget budget, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(uri, range, cancellationToken);
        if (!response.Message.IsSuccessStatusCode)
        {
            throw new MediaFetchException(MediaFailure.Unreachable, $"{response.FinalUri} answered {(int)response.Message.StatusCode}");
        }

        await using var body = await response.Message.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[1 << 16];
        long written = 0;
        while (written < limit)
        {
            var read = await ReadAsync(body, buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - written)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            if (written == 0 && buffer[0] != TsSync)
            {
                return false;
            }

            budget.Count(read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            written += read;
        }

        return written > 0;
    }

    private async Task<(string? Text, Uri Final)> ReadPlaylistAsync(Uri uri, Budget budget, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(uri, null, cancellationToken);
        if (!response.Message.IsSuccessStatusCode)
        {
            throw new MediaFetchException(MediaFailure.Unreachable, $"{response.FinalUri} answered {(int)response.Message.StatusCode}");
        }

        await using var body = await response.Message.Content.ReadAsStreamAsync(cancellationToken);
        using var text = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await ReadAsync(body, buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            await text.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            budget.Count(read);
            if (text.Length >= 16 && !IsPlaylist(response.Message.Content.Headers.ContentType?.MediaType, text))
            {
                return (null, response.FinalUri); // not a playlist: read no further
            }

            if (text.Length > MaxPlaylistBytes)
            {
                throw new MediaFetchException(MediaFailure.NotAVideo, $"The playlist {response.FinalUri} is larger than {MaxPlaylistBytes} bytes.");
            }
        }

        return IsPlaylist(response.Message.Content.Headers.ContentType?.MediaType, text)
            ? (Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length), response.FinalUri)
            : (null, response.FinalUri);
    }

    private static bool IsPlaylist(string? mediaType, MemoryStream head) =>
        (mediaType is not null && mediaType.Contains("mpegurl", StringComparison.OrdinalIgnoreCase)) ||
        Encoding.UTF8.GetString(head.GetBuffer(), 0, (int)Math.Min(head.Length, 64)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith("#EXTM3U", StringComparison.Ordinal);

    private async Task<int> ReadAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(TimeSpan.FromSeconds(options.Value.ReadTimeoutSeconds));
        try
        {
            return await body.ReadAsync(buffer, idle.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaFetchException(MediaFailure.TooSlow, $"The source sent nothing for {options.Value.ReadTimeoutSeconds} s.");
        }
    }

    private sealed class Budget(long max)
    {
        private long _bytes;

        public void Count(int bytes)
        {
            _bytes += bytes;
            if (_bytes > max)
            {
                throw new MediaFetchException(MediaFailure.TooSlow, $"More than {max} bytes were read from the source.");
            }
        }
    }
}
