using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Shell;
using Terminal.Web.Features.Watchlists;

namespace Terminal.Tests.Web.Features.Shell;

/// <summary>The ticker tape's source chosen in ACCT (issue #14, SPEC §11): the same setting as WATCH's "Show in ticker"; the tape follows at once.</summary>
public sealed class TickerSourcePickerTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    private readonly FakeTrendTicker _ticker = new();
    private readonly MarketReader _reader = new();

    private IWatchlistStore Lists => factory.Services.GetRequiredService<IWatchlistStore>();

    private ITickerWatchlistStore TickerStore => factory.Services.GetRequiredService<ITickerWatchlistStore>();

    private async Task<string> SignInAsync()
    {
        var user = await factory.CreateUserClientAsync();
        Services.AddSingleton<ITrendTicker>(_ticker);
        Services.AddSingleton<ITrendReader>(_reader);
        Services.AddSingleton<IMarketStatus>(new FakeMarketStatus());
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        Services.AddSingleton<ILiveStreams>(new NoLiveStreams());
        Services.AddSingleton(new WatchlistEditor(Lists, TimeProvider.System));
        Services.AddSingleton<IMarketQueries>(new FakeMarketQueries());
        Services.AddScoped(_ => new TickerSource(TickerStore));
        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        _reader.Rows[EntityKind.Creator] = [TrendItems.Creator(1, "alpha", 9_000, 2.0), TrendItems.Creator(2, "bravo", 500, 0.1), TrendItems.Creator(3, "charlie", 100, 0.05)];
        return user.UserId;
    }

    private static string[] Entries(IRenderedComponent<TickerTape> tape) =>
        tape.FindAll("[data-ticker-item]:not([aria-hidden])").Select(a => $"{a.GetAttribute("data-ticker-kind")}:{a.GetAttribute("data-ticker-item")}").ToArray();

    [Fact]
    public async Task PickingAWatchlistInAcct_PutsItOnTheTapeAtOnce_AndMoversPutsTheMarketBack()
    {
        var userId = await SignInAsync();
        var list = await Lists.CreateAsync(userId, "Acct picks", [new WatchlistItem(EntityKind.Creator, 20)], DateTime.UtcNow);
        var tape = Render<TickerTape>();
        var picker = Render<TickerSourcePicker>();
        tape.WaitForAssertion(() => tape.Find("[data-ticker]").GetAttribute("data-ticker-source").Should().Be("movers"));
        picker.WaitForAssertion(() => picker.Find("[data-panel=ticker-source] input").GetAttribute("value").Should().Be("Movers"));
        var select = picker.FindComponent<MudSelect<long>>();

        await picker.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(list.Id));

        tape.WaitForAssertion(() => Entries(tape).Should().Equal("creator:20"));
        (await TickerStore.GetAsync(userId))!.Id.Should().Be(list.Id);
        picker.WaitForAssertion(() => picker.Find("[data-panel=ticker-source] input").GetAttribute("value").Should().Be("Acct picks"));

        await picker.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(0L));

        tape.WaitForAssertion(() => tape.Find("[data-ticker]").GetAttribute("data-ticker-source").Should().Be("movers"));
        Entries(tape).Should().HaveCount(3);
        (await TickerStore.GetAsync(userId)).Should().BeNull();
    }

    [Fact]
    public async Task ShowsTheSourceChosenOnWatch()
    {
        var userId = await SignInAsync();
        var list = await Lists.CreateAsync(userId, "From watch", [new WatchlistItem(EntityKind.Creator, 10)], DateTime.UtcNow);
        await TickerStore.SetAsync(userId, list.Id);

        var picker = Render<TickerSourcePicker>();

        picker.WaitForAssertion(() => picker.Find("[data-panel=ticker-source] input").GetAttribute("value").Should().Be("From watch"));
    }

    /// <summary>The engine's reader as the tape uses it: per kind, the Ids filter, the limit.</summary>
    private sealed class MarketReader : ITrendReader
    {
        public Dictionary<EntityKind, TrendItem[]> Rows { get; } = [];

        public TrendResult Query(TrendQuery query) => new(
            Rows.GetValueOrDefault(query.Kind, []).Where(i => query.Ids is null || query.Ids.Contains(i.Id)).Take(query.Limit).ToArray(),
            DateTime.UtcNow);
    }

    private sealed class NoLiveStreams : ILiveStreams
    {
        public Task<IReadOnlyList<LiveNow>> GetLiveAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<LiveNow>>([]);
    }
}
