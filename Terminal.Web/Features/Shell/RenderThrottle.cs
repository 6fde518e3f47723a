namespace Terminal.Web.Features.Shell;

/// <summary>
/// Coalesces bursts of live updates into at most one render per <c>interval</c> (SPEC §5: ≤ 4/s).
/// <see cref="Signal"/> is safe from any thread; the first signal after a quiet spell flushes at
/// once, later ones wait for the rest of the interval and are merged.
/// </summary>
public sealed class RenderThrottle : IDisposable
{
    private readonly Func<Task> _flush;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _pending;
    private bool _disposed;
    private long _lastFlush = long.MinValue;

    /// <param name="flush">Runs on a pool thread; marshal to the renderer with InvokeAsync.</param>
    public RenderThrottle(Func<Task> flush, TimeSpan interval, TimeProvider? time = null)
    {
        _flush = flush;
        _interval = interval;
        _time = time ?? TimeProvider.System;
    }

    public static readonly TimeSpan Default = TimeSpan.FromMilliseconds(250);

    public void Signal()
    {
        TimeSpan wait;
        lock (_gate)
        {
            if (_disposed || _pending)
            {
                return;
            }

            _pending = true;
            var now = _time.GetTimestamp();
            var since = _lastFlush == long.MinValue ? TimeSpan.MaxValue : _time.GetElapsedTime(_lastFlush, now);
            wait = since >= _interval ? TimeSpan.Zero : _interval - since;
            if (wait > TimeSpan.Zero)
            {
                _timer?.Dispose();
                _timer = _time.CreateTimer(_ => _ = FlushAsync(), null, wait, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        _ = FlushAsync();
    }

    private async Task FlushAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _pending = false;
            _lastFlush = _time.GetTimestamp();
        }

        await _flush();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }
}
