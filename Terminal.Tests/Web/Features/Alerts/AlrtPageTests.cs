using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using Terminal.Core.Alerts;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Alerts;

namespace Terminal.Tests.Web.Features.Alerts;

/// <summary>ALRT's rule form (scope picker, period) and webhook delivery log over the app's real alert store and service (issue #14).</summary>
public sealed class AlrtPageTests(AlertsFactory factory) : BunitTestBase, IClassFixture<AlertsFactory>
{
    private readonly FakeMarketQueries _market = new();
    private readonly StubTrendReader _reader = new();
    private IRenderedComponent<MudPopoverProvider> _popovers = null!;

    /// <summary>The page's retry schedule: 4 attempts, 2 s backoff doubling (the app's defaults).</summary>
    private readonly AlertOptions _options = new() { WebhookAttempts = 4, WebhookBackoffMilliseconds = 2000 };

    private async Task<(string UserId, IRenderedComponent<AlrtPage> Page)> RenderAsync(Func<string, Task>? before = null)
    {
        var user = await factory.CreateUserClientAsync();
        if (before is not null)
        {
            await before(user.UserId);
        }

        Services.AddSingleton(factory.Services.GetRequiredService<AlertService>());
        Services.AddSingleton(factory.Services.GetRequiredService<IAlertStore>());
        Services.AddSingleton(factory.Services.GetRequiredService<IWatchlistStore>());
        Services.AddSingleton(factory.Services.GetRequiredService<ILinkedAccountStore>());
        Services.AddSingleton(factory.Services.GetRequiredService<AlertNotifier>());
        Services.AddSingleton<IOptionsMonitor<AlertOptions>>(new FixedOptions<AlertOptions>(_options));
        Services.AddSingleton<TimeProvider>(TimeProvider.System);
        Services.AddSingleton<IMarketQueries>(_market);
        Services.AddSingleton<ITrendReader>(_reader);
        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        _popovers = Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        var page = Render<AlrtPage>();
        page.WaitForAssertion(() => page.Find("[data-rule-form]"));
        return (user.UserId, page);
    }

    /// <summary>Opens a MudSelect of the form (by its class) and clicks the item with this text.</summary>
    private async Task ChooseAsync(IRenderedComponent<AlrtPage> page, string select, string item)
    {
        await OpenAsync(page, select);
        _popovers.WaitForAssertion(() => _popovers.FindAll(".mud-popover-open .mud-list-item").Should().Contain(i => i.TextContent.Trim() == item));
        await _popovers.FindAll(".mud-popover-open .mud-list-item").First(i => i.TextContent.Trim() == item).ClickAsync();
    }

    private static Task OpenAsync(IRenderedComponent<AlrtPage> page, string select) =>
        page.Find($".mud-input-control.{select}").MouseDownAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

    /// <summary>Types into the scope autocomplete and clicks the match whose text starts with <paramref name="name"/>.</summary>
    private async Task SearchAndPickAsync(IRenderedComponent<AlrtPage> page, string text, string name)
    {
        await page.Find("input[data-rule-entity]").InputAsync(text);
        _popovers.WaitForAssertion(() => _popovers.FindAll(".mud-popover-open .mud-list-item").Should().Contain(i => i.TextContent.Trim().StartsWith(name, StringComparison.Ordinal)), TimeSpan.FromSeconds(5));
        await _popovers.FindAll(".mud-popover-open .mud-list-item").First(i => i.TextContent.Trim().StartsWith(name, StringComparison.Ordinal)).ClickAsync();
    }

    private static async Task<IReadOnlyList<AlertRule>> WaitForRulesAsync(IAlertStore store, string userId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var rules = await store.RulesAsync(userId);
            if (rules.Count > 0 || DateTime.UtcNow > deadline)
            {
                return rules;
            }

            await Task.Delay(50);
        }
    }

    private IReadOnlyList<string> OpenItems() => _popovers.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim()).ToList();

    [Fact]
    public async Task ACreatorPickedFromTheSearch_IsSentAsItsScope_WithThePeriod_AndListedByName()
    {
        _market.Creators.Add(new CreatorSummary(4242, "mrbeast", "MrBeast", Platform.YouTube, 1, "Entertainment", false));
        _market.Creators.Add(new CreatorSummary(4243, "mrwho", "Mr Who", Platform.TikTok, 1, "Entertainment", false));
        var (userId, page) = await RenderAsync();

        await SearchAndPickAsync(page, "mrbe", "MrBeast");
        await ChooseAsync(page, "alrt-period", "7d");
        await page.Find("[data-rule-add]").ClickAsync();

        var store = factory.Services.GetRequiredService<IAlertStore>();
        var rule = (await WaitForRulesAsync(store, userId)).Should().ContainSingle().Subject;
        rule.Scope.ToString().Should().Be("creator:4242");
        rule.Period.Should().Be(Period.Week);
        rule.Kind.Should().Be(AlertKind.HeatCross);
        page.WaitForAssertion(() => page.Find($"[data-rule='{rule.Id}'] [data-rule-scope]").TextContent.Should().Be("creator · MrBeast"));
    }

    [Fact]
    public async Task TheScopeTypes_FollowTheKind_AndAClipPickIsSentAsAClipScope()
    {
        _reader.Items = [new TrendItem(1, 77, "the big reveal", Platform.TikTok, 500, 0.2, 90, 3, [])];
        var (userId, page) = await RenderAsync();

        await ChooseAsync(page, "alrt-kind", "new_vod · a creator posts a new VOD");
        await OpenAsync(page, "alrt-scope-type");
        _popovers.WaitForAssertion(() => OpenItems().Should().Equal(
            AlrtPage.ScopeTypeLabel(AlertScopeType.Creator), AlrtPage.ScopeTypeLabel(AlertScopeType.Niche), AlrtPage.ScopeTypeLabel(AlertScopeType.Watchlist)));
        page.FindAll("[data-rule-period]").Should().BeEmpty("a new VOD is an event, not a reading over a window");
        page.FindAll("[data-rule-threshold]").Should().BeEmpty();
        await OpenAsync(page, "alrt-scope-type");

        await ChooseAsync(page, "alrt-kind", "clip_trending · a clip enters trending");
        page.WaitForAssertion(() => page.Find("input[data-rule-scope-type]").GetAttribute("value").Should().Be("clip"), TimeSpan.FromSeconds(5));
        await SearchAndPickAsync(page, "reveal", "the big reveal");
        await page.Find("[data-rule-add]").ClickAsync();

        var rule = (await WaitForRulesAsync(factory.Services.GetRequiredService<IAlertStore>(), userId)).Should().ContainSingle().Subject;
        rule.Kind.Should().Be(AlertKind.ClipTrending);
        rule.Scope.ToString().Should().Be("clip:77");
        page.WaitForAssertion(() => page.Find($"[data-rule='{rule.Id}'] [data-rule-scope]").TextContent.Should().Be("clip · the big reveal"));
    }

    [Fact]
    public async Task AWatchlistScope_IsPickedFromTheUsersOwnLists()
    {
        var lists = factory.Services.GetRequiredService<IWatchlistStore>();
        Watchlist? second = null;
        var (userId, page) = await RenderAsync(async user =>
        {
            await lists.CreateAsync(user, "Gaming", [new WatchlistItem(EntityKind.Creator, 5)], DateTime.UtcNow);
            second = await lists.CreateAsync(user, "Podcasts", [new WatchlistItem(EntityKind.Creator, 6)], DateTime.UtcNow);
        });

        await ChooseAsync(page, "alrt-scope-type", AlrtPage.ScopeTypeLabel(AlertScopeType.Watchlist));
        await ChooseAsync(page, "alrt-scope", "Podcasts (1)");
        await page.Find("[data-rule-add]").ClickAsync();

        var rule = (await WaitForRulesAsync(factory.Services.GetRequiredService<IAlertStore>(), userId)).Should().ContainSingle().Subject;
        rule.Scope.Should().Be(new AlertScope(AlertScopeType.Watchlist, second!.Id));
        page.WaitForAssertion(() => page.Find($"[data-rule='{rule.Id}'] [data-rule-scope]").TextContent.Should().Be("watchlist · Podcasts"));
    }

    [Fact]
    public async Task AddingWithoutAPick_SaysWhatToPick_AndStoresNothing()
    {
        var (userId, page) = await RenderAsync();

        await page.Find("[data-rule-add]").ClickAsync();

        page.WaitForAssertion(() => page.Find(".mud-input-control.alrt-scope").TextContent.Should().Contain("Pick a creator from the search results."));
        (await factory.Services.GetRequiredService<IAlertStore>().RulesAsync(userId)).Should().BeEmpty();
    }

    [Fact]
    public async Task TheDeliveryLog_ListsAttempts_WithCodeErrorAndNextRetry()
    {
        var store = factory.Services.GetRequiredService<IAlertStore>();
        var at = new DateTime(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc);
        WebhookEndpoint? endpoint = null;
        var (_, page) = await RenderAsync(async userId =>
        {
            var rule = await store.AddRuleAsync(new AlertRule(0, userId, AlertKind.HeatCross, new AlertScope(AlertScopeType.Creator, 9), 80, 0, AlertChannels.Webhook, Period.Day, at), 10);
            var first = await store.AddFiringAsync(new NewAlertFiring(rule!.Id, userId, AlertKind.HeatCross, "creator:9", "heat 90", 90, at));
            var second = await store.AddFiringAsync(new NewAlertFiring(rule.Id, userId, AlertKind.HeatCross, "creator:9", "heat 91", 91, at.AddMinutes(5)));
            endpoint = await store.AddWebhookAsync(userId, "https://hooks.example.com/a", "ref-" + Guid.NewGuid().ToString("N"), 10, at);
            await store.RecordDeliveryAsync(endpoint!.Id, first.Id, 1, 500, null, false, 100, at);
            await store.RecordDeliveryAsync(endpoint.Id, first.Id, 2, 204, null, true, 100, at.AddSeconds(2));
            await store.RecordDeliveryAsync(endpoint.Id, second.Id, 1, 503, null, false, 100, at.AddMinutes(5));
            await store.RecordDeliveryAsync(endpoint.Id, second.Id, 2, null, "timeout", false, 100, at.AddMinutes(5).AddSeconds(2));
        });
        page.FindAll("[data-webhook-log]").Should().BeEmpty("the log opens on demand");

        await page.Find($"[data-webhook='{endpoint!.Id}'] [data-action=webhook-log]").ClickAsync();

        page.WaitForAssertion(() => page.FindAll($"[data-webhook-log='{endpoint.Id}'] tr[data-delivery]").Should().HaveCount(4));
        var rows = page.FindAll($"[data-webhook-log='{endpoint.Id}'] tr[data-delivery]")
            .Select(r => (At: r.Children[0].TextContent.Trim(), Try: r.Children[2].TextContent.Trim(), Code: r.QuerySelector("[data-code]")!.TextContent.Trim(),
                Error: r.QuerySelector("[data-error]")!.TextContent.Trim(), Next: r.QuerySelector("[data-next-retry]")!.TextContent.Trim()))
            .OrderBy(r => r.At, StringComparer.Ordinal)
            .ToList();
        rows.Should().Equal(
            ("2026-11-29 08:00:00", "1/4", "500", "non-2xx response", "retried"),
            ("2026-11-29 08:00:02", "2/4", "204", "", "— delivered"),
            ("2026-11-29 08:05:00", "1/4", "503", "non-2xx response", "retried"),
            // the third attempt waits twice the 2 s backoff after the second
            ("2026-11-29 08:05:02", "2/4", "—", "timeout", "08:05:06"));
        page.Find($"[data-webhook='{endpoint.Id}'] [data-action=webhook-log]").GetAttribute("aria-expanded").Should().Be("true");
    }

    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
