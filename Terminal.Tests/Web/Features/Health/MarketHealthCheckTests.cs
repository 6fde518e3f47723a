using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Market;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Health;

namespace Terminal.Tests.Web.Features.Health;

/// <summary>SPEC §4: a live feed with no tick for 10 s reports <c>degraded</c> (served with HTTP 200).</summary>
public sealed class MarketHealthCheckTests
{
    private readonly FakeMarketStatus _status = new() { State = FeedState.Live, IsDemo = true };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    private Task<HealthCheckResult> CheckAsync() => new MarketHealthCheck(_status, _time).CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task LiveFeed_TickedJustNow_IsHealthy()
    {
        _status.LastTickAt = _time.GetUtcNow().UtcDateTime.AddSeconds(-2);
        (await CheckAsync()).Status.Should().Be(HealthStatus.Healthy);
    }

    [Theory]
    [InlineData(10, "stale")]
    [InlineData(59, "stale")]
    [InlineData(60, "stopped")]
    [InlineData(3600, "stopped")]
    public async Task LiveFeed_WithNoTickFor10SecondsOrMore_IsDegraded(int secondsSinceTick, string freshness)
    {
        _status.LastTickAt = _time.GetUtcNow().UtcDateTime.AddSeconds(-secondsSinceTick);
        var result = await CheckAsync();
        result.Status.Should().Be(HealthStatus.Degraded);
        result.Data["freshness"].Should().Be(freshness);
    }

    [Fact]
    public async Task DisabledFeed_IsNotStale()
    {
        _status.State = FeedState.Off;
        _status.LastTickAt = null;
        (await CheckAsync()).Status.Should().Be(HealthStatus.Healthy);
    }
}
