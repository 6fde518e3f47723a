using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Terminal.Jobs.Media;

/// <summary>
/// One ffmpeg run's view of a remote source through <see cref="MediaProxy"/>: the URLs it may read
/// (index 0 is the source; playlists add theirs), the bytes read so far, and the worst failure seen —
/// which becomes the generic reason the user is shown.
/// </summary>
public sealed partial class MediaProxySession : IAsyncDisposable
{
    private const int MaxPlaylistBytes = 4 << 20;
    private const int MaxEntries = 200_000;
    private static readonly string[] Severity = [MediaFailure.NotAVideo, MediaFailure.Unreachable, MediaFailure.TooSlow, MediaFailure.RefusedAddress];
    private readonly List<Uri?> _entries = [];
    private readonly Dictionary<string, int> _indexOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _checkedOrigins = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private readonly string _prefix;
    private readonly MediaHttpClient _client;
    private readonly MediaOptions _options;
    private readonly ILogger _logger;
    private readonly Action _onClose;
    private long _bytes;
    private string? _failure;

    internal MediaProxySession(string token, string prefix, Uri source, MediaHttpClient client, MediaOptions options, ILogger logger, Action onClose)
    {
        Token = token;
        _prefix = prefix;
        _client = client;
        _options = options;
        _logger = logger;
        _onClose = onClose;
        Source = source;
        EntryUrl = UrlFor(Add(source), source);
    }

    public string Token { get; }

    /// <summary>The source URL this session stands for.</summary>
    public Uri Source { get; }

    /// <summary>The URL ffmpeg is given for the source.</summary>
    public string EntryUrl { get; }

    /// <summary>The worst <see cref="MediaFailure"/> seen while serving, or null.</summary>
    public string? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    internal async Task ServeAsync(HttpContext context, int index, RangeHeaderValue? range)
    {
        Uri? target;
        lock (_gate)
        {
            target = index >= 0 && index < _entries.Count ? _entries[index] : null;
        }

        var aborted = context.RequestAborted;
        if (target is null)
        {
            Fail(MediaFailure.RefusedAddress, $"entry {index} is not an http(s) URL");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        try
        {
            using var upstream = await _client.GetAsync(target, range, aborted);
            var message = upstream.Message;
            var status = (int)message.StatusCode;
            if (!message.IsSuccessStatusCode && status != StatusCodes.Status416RangeNotSatisfiable)
            {
                Fail(MediaFailure.Unreachable, $"{upstream.FinalUri} answered {status}");
                context.Response.StatusCode = status == 404 ? 404 : StatusCodes.Status502BadGateway;
                return;
            }

            await using var body = await message.Content.ReadAsStreamAsync(aborted);
            var head = new byte[16];
            var headLength = await ReadSomeAsync(body, head, aborted);
            if (IsPlaylist(message.Content.Headers.ContentType?.MediaType, head.AsSpan(0, headLength)))
            {
                await ServePlaylistAsync(context, upstream.FinalUri, body, head.AsMemory(0, headLength), aborted);
                return;
            }

            context.Response.StatusCode = status;
            var headers = message.Content.Headers;
            context.Response.ContentType = headers.ContentType?.ToString() ?? "application/octet-stream";
            if (headers.ContentLength is { } length)
            {
                context.Response.ContentLength = length;
            }

            if (headers.ContentRange is { } contentRange)
            {
                context.Response.Headers.ContentRange = contentRange.ToString();
            }

            if (message.Headers.AcceptRanges.Count > 0)
            {
                context.Response.Headers.AcceptRanges = string.Join(", ", message.Headers.AcceptRanges);
            }

            await CountAsync(headLength);
            await context.Response.Body.WriteAsync(head.AsMemory(0, headLength), aborted);
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var read = await ReadSomeAsync(body, buffer, aborted);
                if (read == 0)
                {
                    break;
                }

                await CountAsync(read);
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
            }
        }
        catch (MediaFetchException e)
        {
            Fail(e.Reason, e.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = e.Reason == MediaFailure.RefusedAddress ? StatusCodes.Status403Forbidden : StatusCodes.Status502BadGateway;
            }
            else
            {
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // ffmpeg closed the connection (a seek or the end of its run).
        }
        catch (IOException e)
        {
            Fail(MediaFailure.Unreachable, $"{target}: {e.Message}");
            context.Abort();
        }
    }

    private async Task ServePlaylistAsync(HttpContext context, Uri baseUri, Stream body, ReadOnlyMemory<byte> head, CancellationToken aborted)
    {
        using var text = new MemoryStream();
        text.Write(head.Span);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await ReadSomeAsync(body, buffer, aborted);
            if (read == 0)
            {
                break;
            }

            if (text.Length + read > MaxPlaylistBytes)
            {
                throw new MediaFetchException(MediaFailure.NotAVideo, $"The playlist {baseUri} is larger than {MaxPlaylistBytes} bytes.");
            }

            await text.WriteAsync(buffer.AsMemory(0, read), aborted);
        }

        await CountAsync((int)text.Length);
        var (rewritten, targets) = Rewrite(Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length), baseUri);

        // Every URL the playlist names is checked before ffmpeg sees any of it; the connect-time check still applies when it is read.
        await Task.WhenAll(targets.Select(t => CheckOnceAsync(t, aborted)));
        var bytes = Encoding.UTF8.GetBytes(rewritten);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/vnd.apple.mpegurl";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, aborted);
    }

    private Task CheckOnceAsync(Uri? target, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            return Task.FromException(new MediaFetchException(MediaFailure.RefusedAddress, "A playlist names a URL that is not http(s)."));
        }

        var origin = AddressPolicy.Origin(target);
        lock (_gate)
        {
            if (!_checkedOrigins.TryGetValue(origin, out var check))
            {
                check = _client.CheckAsync(target, cancellationToken);
                _checkedOrigins[origin] = check;
            }

            return check;
        }
    }

    /// <summary>
    /// Rewrites a playlist so every URI line and every <c>URI="…"</c> attribute points at this session,
    /// resolved against the playlist's own (final) URL; comments are dropped. Returns the new text and
    /// the absolute URLs it names (null for one that is not http(s)).
    /// </summary>
    internal (string Text, IReadOnlyList<Uri?> Targets) Rewrite(string playlist, Uri baseUri)
    {
        var targets = new List<Uri?>();
        var output = new StringBuilder(playlist.Length + 256);
        foreach (var raw in playlist.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                if (!line.StartsWith("#EXT", StringComparison.Ordinal))
                {
                    continue;
                }

                output.Append(UriAttribute().Replace(line, m => $"URI=\"{Register(m.Groups[1].Value, baseUri, targets)}\"")).Append('\n');
                continue;
            }

            output.Append(Register(line, baseUri, targets)).Append('\n');
        }

        return (output.ToString(), targets);
    }

    private string Register(string reference, Uri baseUri, List<Uri?> targets)
    {
        Uri? absolute = Uri.TryCreate(baseUri, reference, out var resolved) &&
                        (resolved.Scheme == Uri.UriSchemeHttp || resolved.Scheme == Uri.UriSchemeHttps) ? resolved : null;
        targets.Add(absolute);
        return UrlFor(Add(absolute), absolute);
    }

    private int Add(Uri? target)
    {
        lock (_gate)
        {
            var key = target?.AbsoluteUri ?? string.Empty;
            if (_indexOf.TryGetValue(key, out var existing))
            {
                return existing;
            }

            if (_entries.Count >= MaxEntries)
            {
                throw new MediaFetchException(MediaFailure.NotAVideo, "The playlists name too many URLs.");
            }

            _entries.Add(target);
            _indexOf[key] = _entries.Count - 1;
            return _entries.Count - 1;
        }
    }

    /// <summary>The proxy URL of an entry; it keeps the source's file name so ffmpeg's extension checks still see <c>.ts</c>, <c>.m4s</c>, <c>.m3u8</c>.</summary>
    private string UrlFor(int index, Uri? target)
    {
        var name = target is null ? "x" : SafeName().Replace(Path.GetFileName(target.AbsolutePath), "_");
        if (name.Length is 0 or > 80)
        {
            name = "media";
        }

        return $"{_prefix}/{index}/{name}";
    }

    private static bool IsPlaylist(string? mediaType, ReadOnlySpan<byte> head)
    {
        if (mediaType is not null && mediaType.Contains("mpegurl", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith("#EXTM3U", StringComparison.Ordinal);
    }

    private async Task<int> ReadSomeAsync(Stream body, Memory<byte> buffer, CancellationToken aborted)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        idle.CancelAfter(TimeSpan.FromSeconds(_options.ReadTimeoutSeconds));
        try
        {
            return await body.ReadAsync(buffer, idle.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            throw new MediaFetchException(MediaFailure.TooSlow, $"The source sent nothing for {_options.ReadTimeoutSeconds} s.");
        }
    }

    private Task CountAsync(int bytes)
    {
        if (Interlocked.Add(ref _bytes, bytes) > _options.MaxSourceBytes)
        {
            throw new MediaFetchException(MediaFailure.TooSlow, $"More than {_options.MaxSourceBytes} bytes were read from the source.");
        }

        return Task.CompletedTask;
    }

    private void Fail(string reason, string detail)
    {
        _logger.LogWarning("Media proxy session {Session}: {Reason} ({Detail})", Token, reason, detail);
        lock (_gate)
        {
            if (_failure is null || Array.IndexOf(Severity, reason) > Array.IndexOf(Severity, _failure))
            {
                _failure = reason;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _onClose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex("(?<=[:,])URI=\"([^\"]*)\"")]
    private static partial Regex UriAttribute();

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex SafeName();
}
