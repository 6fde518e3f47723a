using Microsoft.Extensions.Time.Testing;
using Terminal.Web.Features.Shell;

namespace Terminal.Tests.Web.Features.Shell;

public sealed class RenderThrottleTests
{
    private readonly FakeTimeProvider _time = new();
    private int _flushes;

    private RenderThrottle Create() => new(() => { Interlocked.Increment(ref _flushes); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(250), _time);

    [Fact]
    public void FirstSignal_FlushesAtOnce()
    {
        using var throttle = Create();
        throttle.Signal();
        _flushes.Should().Be(1);
    }

    [Fact]
    public void ABurst_IsCoalescedIntoOneMoreFlush_AfterTheInterval()
    {
        using var throttle = Create();
        throttle.Signal();
        for (var i = 0; i < 50; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(2));
            throttle.Signal();
        }

        _flushes.Should().Be(1, "the burst waits for the rest of the 250 ms window");
        _time.Advance(TimeSpan.FromMilliseconds(250));
        _flushes.Should().Be(2, "one flush carries the whole burst");
    }

    [Fact]
    public void AtMostFourFlushesASecond_UnderConstantSignals()
    {
        using var throttle = Create();
        for (var ms = 0; ms < 1000; ms += 10)
        {
            throttle.Signal();
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        _flushes.Should().BeInRange(4, 5);
    }

    [Fact]
    public void AfterDispose_NothingFlushes()
    {
        var throttle = Create();
        throttle.Signal();
        throttle.Signal();
        throttle.Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));
        throttle.Signal();
        _flushes.Should().Be(1);
    }
}
