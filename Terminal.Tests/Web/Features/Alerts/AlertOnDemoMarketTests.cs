using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Alerts;

/// <summary>
/// End to end on the real DEMO market (ticking every 500 ms): a rule created through the API is evaluated by
/// the engine subscription (engine <c>Changed</c> → monitor), with no test calling the monitor, and fires
/// within one tick — once.
/// </summary>
public sealed class AlertOnDemoMarketTests : IAsyncLifetime
{
    private const int TickMilliseconds = 500;
    private readonly TerminalWebFactory _factory = new();

    public AlertOnDemoMarketTests()
    {
        _factory.Settings["Terminal:DemoFeed:Enabled"] = "true";
        _factory.Settings["Terminal:DemoFeed:Creators"] = "40";
        _factory.Settings["Terminal:DemoFeed:Clippers"] = "20";
        _factory.Settings["Terminal:DemoFeed:ClipsPerCreator"] = "3";
        _factory.Settings["Terminal:DemoFeed:VodsPerCreator"] = "0";
        _factory.Settings["Terminal:DemoFeed:HistoryDays"] = "2";
        _factory.Settings["Terminal:DemoFeed:FutureDays"] = "1";
        _factory.Settings["Terminal:DemoFeed:TickIntervalMilliseconds"] = TickMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ARuleOnTheLiveDemoMarket_FiresThroughTheEngineSubscription_WithinOneTick_Once()
    {
        var engine = _factory.Services.GetRequiredService<TrendEngine>();
        var query = new TrendQuery(EntityKind.Creator, null, Period.Day);
        await Wait.UntilAsync(() => Task.FromResult(engine.Query(query).Data.Any(i => i.Heat >= 20)), TimeSpan.FromSeconds(60), "the demo market is loaded");
        var hottest = engine.Query(query).Data.MaxBy(i => i.Heat)!;
        var threshold = Math.Floor(hottest.Heat / 2);
        var owner = await _factory.CreateUserClientAsync();
        var created = DateTime.UtcNow;
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{hottest.Id}", threshold, cooldownMinutes = 0 })).EnsureSuccessStatusCode();

        AlertRuleTests.FiringDto[] firings = [];
        await Wait.UntilAsync(
            async () => (firings = (await owner.Http.GetFromJsonAsync<AlertRuleTests.FiringDto[]>("/api/alerts"))!).Length > 0,
            TimeSpan.FromSeconds(10),
            "the engine's ticks evaluate the new rule");

        var firing = firings.Should().ContainSingle().Subject;
        firing.Should().Match<AlertRuleTests.FiringDto>(f => f.Kind == "heat_cross" && f.Entity == $"creator:{hottest.Id}" && f.Value >= threshold);
        // One tick of the feed, the subscription's coalescing interval, and slack for a loaded test machine.
        (firing.At - created).Should().BeLessThan(TimeSpan.FromMilliseconds(TickMilliseconds) + TrendTicker.MinInterval + TimeSpan.FromSeconds(1.5));

        var changes = 0;
        void OnChanged() => Interlocked.Increment(ref changes);
        engine.Changed += OnChanged;
        try
        {
            await Wait.UntilAsync(() => Task.FromResult(Volatile.Read(ref changes) >= 6), TimeSpan.FromSeconds(20), "more ticks pass");
        }
        finally
        {
            engine.Changed -= OnChanged;
        }

        (await owner.Http.GetFromJsonAsync<AlertRuleTests.FiringDto[]>("/api/alerts")).Should().ContainSingle("heat stays past the threshold: the rule stays fired (no re-arm), cooldown 0 notwithstanding");
    }

    public Task InitializeAsync()
    {
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();
}
