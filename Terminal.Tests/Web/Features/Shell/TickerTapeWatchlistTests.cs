using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Core.MarketSources;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Shell;
using Terminal.Web.Features.Watchlists;

namespace Terminal.Tests.Web.Features.Shell;

/// <summary>A watchlist as the ticker-tape source (issue #14, SPEC §11): chosen on WATCH or in ACCT (TickerSourcePicker), kept per user, movers again when the list goes.</summary>
public sealed class TickerTapeWatchlistTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    private const string Topic = "trends:creators:all:24h";
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
        // The engine's rankings: three creators (ids 10, 20, 30) and two clips.
        _reader.Rows[EntityKind.Creator] = [TrendItems.Creator(1, "alpha", 9_000, 2.0), TrendItems.Creator(2, "bravo", 500, 0.1), TrendItems.Creator(3, "charlie", 100, 0.05)];
        _reader.Rows[EntityKind.Clip] = [TrendItems.Creator(1, "best moment", 4_000) with { Id = 7 }, TrendItems.Creator(2, "other clip", 10) with { Id = 8 }];
        return user.UserId;
    }

    private static string[] Entries(IRenderedComponent<TickerTape> tape) =>
        tape.FindAll("[data-ticker-item]:not([aria-hidden])").Select(a => $"{a.GetAttribute("data-ticker-kind")}:{a.GetAttribute("data-ticker-item")}").ToArray();

    [Fact]
    public async Task AChosenWatchlist_RidesTheTape_WithItsLiveValues_InsteadOfTheMovers()
    {
        var userId = await SignInAsync();
        var list = await Lists.CreateAsync(userId, "Tape", [new WatchlistItem(EntityKind.Clip, 7), new WatchlistItem(EntityKind.Creator, 30)], DateTime.UtcNow);
        await TickerStore.SetAsync(userId, list.Id);

        var tape = Render<TickerTape>();

        tape.WaitForAssertion(() => Entries(tape).Should().Equal("clip:7", "creator:30"));
        tape.Find("[data-ticker]").GetAttribute("data-ticker-source").Should().Be("watch");
        tape.Find("[data-ticker-list]").TextContent.Should().Be("TAPE");
        tape.Find("[data-ticker-item='30']").TextContent.Should().Contain("CHARLIE").And.Contain("100/h");
        tape.Find("[data-ticker-item='7']").GetAttribute("href").Should().Be("/trnd?sel=clip:7");

        // The next tick carries the engine's new values for the list's entities, not the movers in the tick.
        _reader.Rows[EntityKind.Creator] = [TrendItems.Creator(3, "charlie", 2_500, 0.5), TrendItems.Creator(1, "alpha", 9_000, 2.0)];
        _ticker.Push(Topic, TrendItems.Creator(1, "alpha", 9_000, 2.0));

        tape.WaitForAssertion(() => tape.Find("[data-ticker-item='30']").TextContent.Should().Contain("2.50K/h"));
        Entries(tape).Should().Equal("clip:7", "creator:30");
    }

    [Fact]
    public async Task ShowInTickerOnWatch_SwitchesTheTape_AndDeletingTheListFallsBackToTheMovers()
    {
        var userId = await SignInAsync();
        var list = await Lists.CreateAsync(userId, "Switch", [new WatchlistItem(EntityKind.Creator, 20)], DateTime.UtcNow);
        var tape = Render<TickerTape>();
        var watch = Render<WatchPage>();
        tape.WaitForAssertion(() => tape.Find("[data-ticker]").GetAttribute("data-ticker-source").Should().Be("movers"));
        Entries(tape).Should().HaveCount(3);

        await watch.WaitForElement($"[data-watchlist='{list.Id}'] [data-action=show-in-ticker]").ClickAsync();

        tape.WaitForAssertion(() => Entries(tape).Should().Equal("creator:20"));
        (await TickerStore.GetAsync(userId))!.Id.Should().Be(list.Id);
        watch.WaitForAssertion(() => watch.Find($"[data-watchlist='{list.Id}'] [data-in-ticker]"));

        await watch.Find($"[data-watchlist='{list.Id}'] [data-action=delete-list]").ClickAsync();

        tape.WaitForAssertion(() => tape.Find("[data-ticker]").GetAttribute("data-ticker-source").Should().Be("movers"));
        Entries(tape).Should().HaveCount(3);
        (await TickerStore.GetAsync(userId)).Should().BeNull();
    }

    [Fact]
    public async Task PickingAWatchlistInAcct_PutsItOnTheTapeAtOnce_AndMoversPutsTheMarketBack()
    {
        var userId = await SignInAsync();
        var list = await Lists.CreateAsync(userId, "Acct picks", [new WatchlistItem(EntityKind.Creator, 20)], DateTime.UtcNow);
        var tape = Render<TickerTape>();
        var picker = Render<TickerSourcePicker>();
        tape.WaitForAssertion(() => tape.Find("[data-ticker]").GetAttribute("data-ticker-source").Should().Be("movers"));
        picker.WaitForAssertion(() => picker.Find("[data-panel=ticker-source] input").GetAttribute("value").Should().Be("Movers"));
        var select = picker.FindComponent<MudBlazor.MudSelect<long>>();

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
