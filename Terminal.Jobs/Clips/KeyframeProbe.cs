using System.Globalization;
using System.Text.Json;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>One video packet as the container stores it (decode order), timestamps in the stream's time base.</summary>
public readonly record struct VideoPacket(long Pts, long Dts, bool Key);

/// <summary>The source video's coding parameters a re-encoded part must match to join the copied part.</summary>
/// <param name="TimeBaseNum">Numerator of the stream's time base.</param>
/// <param name="TimeBaseDen">Denominator of the stream's time base.</param>
public sealed record SourceVideo(
    string Codec, string? Profile, int? Level, string? PixelFormat, int Width, int Height, long TimeBaseNum, long TimeBaseDen,
    string? FieldOrder, string? SampleAspectRatio, string? ColorRange, string? ColorSpace, string? ColorTransfer, string? ColorPrimaries)
{
    /// <summary>Seconds of <paramref name="ticks"/> in this stream's time base.</summary>
    public double Seconds(long ticks) => (double)ticks * TimeBaseNum / TimeBaseDen;
}

/// <summary>The source's first audio stream: what a re-encode of its range keeps (bit rate; channels and rate are kept by ffmpeg).</summary>
/// <param name="BitRate">Bits per second the container states, or null (MPEG-TS/HLS often state none).</param>
public sealed record SourceAudio(string Codec, int? BitRate);

/// <summary>
/// What <see cref="KeyframeProbe"/> read: the video's parameters, the container's start time (ffmpeg's
/// <c>-ss</c> is relative to it, ffprobe's timestamps are not), the video packets of the window, and the
/// first audio stream (null when the source has none).
/// </summary>
/// <param name="VideoId">The container's id of that video stream (an MP4 track id), which a concat list names; null when unknown.</param>
public sealed record KeyframeWindow(SourceVideo Video, double StartTime, IReadOnlyList<VideoPacket> Packets, string? FormatName = null, SourceAudio? Audio = null, int? VideoId = null)
{
    /// <summary>Parses <c>ffprobe -of json</c> output of <see cref="ClipCommands.ProbeWindow"/>; null when it has no usable video stream.</summary>
    public static KeyframeWindow? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("streams", out var streams))
        {
            return null;
        }

        JsonElement? videoStream = null, audioStream = null;
        foreach (var candidate in streams.EnumerateArray())
        {
            var type = Text(candidate, "codec_type");
            if (type == "video" && videoStream is null)
            {
                videoStream = candidate;
            }
            else if (type == "audio" && audioStream is null)
            {
                audioStream = candidate;
            }
        }

        if (videoStream is not { } stream)
        {
            return null;
        }

        var videoIndex = Int(stream, "index") ?? 0;
        var timeBase = Text(stream, "time_base")?.Split('/');
        if (timeBase is not { Length: 2 } ||
            !long.TryParse(timeBase[0], CultureInfo.InvariantCulture, out var num) || !long.TryParse(timeBase[1], CultureInfo.InvariantCulture, out var den) || num <= 0 || den <= 0)
        {
            return null;
        }

        var video = new SourceVideo(
            Text(stream, "codec_name") ?? "", Text(stream, "profile"), Int(stream, "level"), Text(stream, "pix_fmt"),
            Int(stream, "width") ?? 0, Int(stream, "height") ?? 0, num, den,
            Text(stream, "field_order"), Text(stream, "sample_aspect_ratio"), Text(stream, "color_range"), Text(stream, "color_space"),
            Text(stream, "color_transfer"), Text(stream, "color_primaries"));
        var start = root.TryGetProperty("format", out var format) && double.TryParse(Text(format, "start_time"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0;

        var packets = new List<VideoPacket>();
        if (root.TryGetProperty("packets", out var list))
        {
            foreach (var p in list.EnumerateArray())
            {
                if ((Int(p, "stream_index") ?? videoIndex) != videoIndex)
                {
                    continue;
                }

                // A packet without a pts cannot be placed: the planner treats the window as unsafe.
                var pts = Long(p, "pts") ?? long.MinValue;
                packets.Add(new VideoPacket(pts, Long(p, "dts") ?? pts, Text(p, "flags")?.StartsWith('K') == true));
            }
        }

        var formatName = root.TryGetProperty("format", out var f) ? Text(f, "format_name") : null;
        var audio = audioStream is { } a ? new SourceAudio(Text(a, "codec_name") ?? "", Int(a, "bit_rate")) : null;
        return new KeyframeWindow(video, start, packets, formatName, audio, StreamId(stream));
    }

    /// <summary>ffprobe writes a stream's id in hex (<c>0x1</c>).</summary>
    private static int? StreamId(JsonElement stream) =>
        Text(stream, "id") is { } id && id.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
        int.TryParse(id.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null } : null;

    private static int? Int(JsonElement e, string name) =>
        int.TryParse(Text(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Long(JsonElement e, string name) =>
        long.TryParse(Text(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}

/// <summary>
/// Reads the keyframes around a cut with ffprobe, limited to the window the cut needs
/// (<c>-read_intervals</c>: from the keyframe at or before the start to a little past the end), so a
/// long or remote source is not read in full. Packets only — nothing is decoded.
/// </summary>
public sealed class KeyframeProbe(FfmpegRunner runner, KeyframeIndexCache? cache = null)
{
    private readonly KeyframeIndexCache _cache = cache ?? new KeyframeIndexCache();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<KeyframeIndexCache.Key, Task> _indexing = new();

    /// <summary>How far past the end packets are read: enough for B-frame reordering to show every frame before the end.</summary>
    public const double EndMarginSeconds = 2;

    /// <summary>
    /// The packets from the keyframe at or before <paramref name="startSeconds"/> to a little past
    /// <paramref name="endSeconds"/> (both relative to the source's start, as ffmpeg's <c>-ss</c>); null when
    /// ffprobe fails or finds no video.
    /// </summary>
    public async Task<KeyframeWindow?> ProbeAsync(MediaInput input, double startSeconds, double endSeconds, CancellationToken cancellationToken)
    {
        if (TryCached(input, startSeconds, endSeconds) is { } cached)
        {
            return cached;
        }

        // Indexed when the VOD was prepared (also by another node, or before a restart): read from next to the file.
        if (input.IsLocal && await LoadIndexAsync(input.Url, cancellationToken) && TryCached(input, startSeconds, endSeconds) is { } stored)
        {
            return stored;
        }

        // Most sources start at 0; when one does not (MPEG-TS, HLS), probe again with the interval moved.
        var window = await ProbeOnceAsync(input, startSeconds, endSeconds, 0, cancellationToken);
        if (window is { StartTime: var offset } && Math.Abs(offset) > 1e-6)
        {
            window = await ProbeOnceAsync(input, startSeconds, endSeconds, offset, cancellationToken);
        }

        return window;
    }

    /// <summary>
    /// The window <see cref="ProbeAsync"/> needs, cut from the cached whole-file index of a local <paramref name="input"/>
    /// (no process started); null when that file (at its current size and modification time) is not indexed.
    /// </summary>
    public KeyframeWindow? TryCached(MediaInput input, double startSeconds, double endSeconds) =>
        input.IsLocal && KeyframeIndexCache.KeyOf(input.Url) is { } key && _cache.TryGet(key, out var index)
            ? KeyframeIndexCache.Slice(index, startSeconds, endSeconds + EndMarginSeconds)
            : null;

    /// <summary>
    /// Reads the whole packet index of a local <paramref name="input"/> once (one ffprobe, packets only) into the cache,
    /// so later cuts of the same file skip the probe; a file already indexed or being indexed is not read again.
    /// True when the index is in the cache afterwards.
    /// </summary>
    public async Task<bool> IndexAsync(MediaInput input, CancellationToken cancellationToken)
    {
        if (!input.IsLocal || KeyframeIndexCache.KeyOf(input.Url) is not { } key)
        {
            return false;
        }

        if (_cache.TryGet(key, out _) || await LoadIndexAsync(key.Path, cancellationToken))
        {
            return true;
        }

        await using var local = new MediaInput(key.Path, MediaInput.LocalProtocols, IsLocal: true) { FormatWhitelist = input.FormatWhitelist };
        var indexing = _indexing.GetOrAdd(key, _ => ReadIndexAsync(key, local, cancellationToken));
        try
        {
            await indexing;
        }
        finally
        {
            _indexing.TryRemove(new KeyValuePair<KeyframeIndexCache.Key, Task>(key, indexing));
        }

        return _cache.TryGet(key, out _);
    }

    private async Task ReadIndexAsync(KeyframeIndexCache.Key key, MediaInput input, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new FfmpegCommand("ffprobe", ClipCommands.ProbeWindow(input, 0, WholeFileSeconds)), cancellationToken);
        KeyframeWindow? index = null;
        try
        {
            index = result.Succeeded ? KeyframeWindow.Parse(result.StdOut) : null;
        }
        catch (JsonException)
        {
            // Not indexable: cuts keep probing their windows.
        }

        // Cached only if the file did not change while it was read.
        if (index is { Packets.Count: > 0 } && KeyframeIndexCache.KeyOf(input.Url) == key)
        {
            _cache.Add(key, index);
            await StoreIndexAsync(key, result.StdOut);
        }
    }

    /// <summary>
    /// Where a local VOD's packet index is kept on disk, next to it: the ffprobe JSON <see cref="KeyframeWindow.Parse"/>
    /// reads, after a first line naming the VOD's size and modification time it was read from (a replaced VOD makes it stale).
    /// </summary>
    public static string IndexFileOf(string path) => path + ".keyframes";

    private const string IndexFileVersion = "keyframes-v1";

    /// <summary>
    /// The index of the file at <paramref name="path"/> read from <see cref="IndexFileOf"/> into the memory cache; false when
    /// there is none, or it was read from another size or modification time of the file (stale), or it does not parse.
    /// </summary>
    public async Task<bool> LoadIndexAsync(string path, CancellationToken cancellationToken)
    {
        if (KeyframeIndexCache.KeyOf(path) is not { } key)
        {
            return false;
        }

        if (_cache.TryGet(key, out _))
        {
            return true;
        }

        try
        {
            using var reader = new StreamReader(IndexFileOf(key.Path));
            if (await reader.ReadLineAsync(cancellationToken) != Header(key))
            {
                return false;
            }

            if (KeyframeWindow.Parse(await reader.ReadToEndAsync(cancellationToken)) is not { Packets.Count: > 0 } index)
            {
                return false;
            }

            _cache.Add(key, index);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return false;
        }
    }

    private static string Header(KeyframeIndexCache.Key key) =>
        string.Create(CultureInfo.InvariantCulture, $"{IndexFileVersion} {key.Length} {key.LastWriteTicks}");

    /// <summary>Writes the index next to the VOD (a temp file moved into place, so a reader never sees half of it); best effort.</summary>
    private static async Task StoreIndexAsync(KeyframeIndexCache.Key key, string json)
    {
        var file = IndexFileOf(key.Path);
        var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await File.WriteAllTextAsync(temp, Header(key) + "\n" + json);
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Cuts fall back to the windowed probe and index again.
            File.Delete(temp);
        }
    }

    /// <summary>Past the end of any VOD: a read interval that reads the whole file.</summary>
    private const double WholeFileSeconds = 1e9;

    /// <summary>
    /// The packets of a small local file from its beginning to a little past <paramref name="endSeconds"/>, where the
    /// file is part of a source whose timeline starts at <paramref name="timelineStart"/> (ffprobe's absolute seconds) —
    /// a local copy of some segments of an HLS source, cut on the whole source's timeline. Read from the file's start
    /// because an MPEG-TS seek lands on any packet, not on a keyframe. The window's <see cref="KeyframeWindow.StartTime"/>
    /// is the file's own start.
    /// </summary>
    public async Task<KeyframeWindow?> ProbeFromStartAsync(MediaInput input, double endSeconds, double timelineStart, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new FfmpegCommand("ffprobe", ClipCommands.ProbeWindow(input, 0, timelineStart + endSeconds + EndMarginSeconds)), cancellationToken);
        try
        {
            return result.Succeeded ? KeyframeWindow.Parse(result.StdOut) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The container's start time (ffprobe's absolute seconds), or null when ffprobe fails.</summary>
    public async Task<double?> StartTimeAsync(MediaInput input, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new FfmpegCommand("ffprobe", ["-v", "error", .. input.InputArguments(), "-show_entries", "format=start_time", "-of", "csv=p=0"]), cancellationToken);
        return result.Succeeded && double.TryParse(result.StdOut.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var start) ? start : null;
    }

    private async Task<KeyframeWindow?> ProbeOnceAsync(MediaInput input, double startSeconds, double endSeconds, double offset, CancellationToken cancellationToken)
    {
        var end = offset + endSeconds + EndMarginSeconds;
        var result = await runner.RunAsync(new FfmpegCommand("ffprobe", ClipCommands.ProbeWindow(input, offset + startSeconds, end)), cancellationToken);
        if (!result.Succeeded)
        {
            return null;
        }

        try
        {
            return KeyframeWindow.Parse(result.StdOut);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
