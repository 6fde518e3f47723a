using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Browser;

/// <summary>
/// ALRT end to end in a real Chromium over the demo market (SPEC §11): a rule added in ALRT that the
/// market meets at once fires within a few ticks — the toast and the shell's unread counter show it —
/// and acknowledging it in ALRT brings the counter back down.
/// </summary>
[Trait("Category", "Browser")]
public sealed class AlrtBrowserTests : IAsyncLifetime
{
    private static readonly LocatorWaitForOptions Long = new() { Timeout = 60_000 };

    private BrowserSession _app = default!;

    public async Task InitializeAsync() => _app = await BrowserSession.StartDemoAsync(creators: 40, clippers: 20, clipsPerCreator: 3, tickIntervalMilliseconds: 500);

    public Task DisposeAsync() => _app?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    /// <summary>Registers a user and returns the id and handle of a creator the demo market ranks (through the API, as a program would).</summary>
    private async Task<(string Email, int CreatorId, string Handle)> UserAndCreatorAsync()
    {
        var email = await _app.RegisterAsync("alrt");
        using var http = new HttpClient { BaseAddress = _app.Base };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TerminalWebFactory.LoginAsync(http, email, BrowserSession.Password));
        var creatorId = 0;
        await Wait.UntilAsync(async () =>
        {
            var trends = await http.GetFromJsonAsync<JsonElement>("/api/analytics/trends?type=creators&period=24h&limit=1");
            var data = trends.GetProperty("data");
            if (data.GetArrayLength() == 0)
            {
                return false;
            }

            creatorId = data[0].GetProperty("id").GetInt32();
            return true;
        }, TimeSpan.FromSeconds(60), "the demo market ranks a creator");
        var creator = await http.GetFromJsonAsync<JsonElement>($"/api/creators/{creatorId}");
        return (email, creatorId, creator.GetProperty("handle").GetString()!);
    }

    [Fact]
    public async Task RuleMetAtOnce_ShowsAToastAndTheUnreadCounter_AndAckBringsTheCounterDown()
    {
        var (email, creatorId, handle) = await UserAndCreatorAsync();
        var page = await _app.NewPageAsync();
        var errors = BrowserSession.CollectErrors(page, console: false);
        await _app.SignInAsync(page, email, "/alrt", "alrt", Long);
        var bell = page.Locator("[data-alert-bell]");
        (await bell.GetAttributeAsync("data-unread")).Should().Be("0");

        // heat_cross is the form's default kind; heat runs 0–100, so "heat at or above 0" holds at the next tick.
        // The scope picker: the creator is found by its handle in the market and picked from the list.
        await page.Locator("input[data-rule-entity]").FillAsync(handle);
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex($"@{System.Text.RegularExpressions.Regex.Escape(handle)} ·") }).First.ClickAsync();
        var threshold = page.Locator("input[data-rule-threshold], [data-rule-threshold] input");
        await threshold.FillAsync("0");
        await threshold.PressAsync("Tab");
        await page.Locator("[data-rule-add]").ClickAsync();
        await page.Locator("[data-panel=rules] tr[data-rule]").WaitForAsync(Long);
        (await page.Locator("[data-panel=rules] tr[data-rule] [data-rule-scope]").GetAttributeAsync("data-rule-scope")).Should().Be($"creator:{creatorId}");

        await page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "ALERT ·" }).WaitForAsync(Long);
        await page.Locator("[data-alert-bell][data-unread='1']").WaitForAsync(Long);
        (await page.Locator("[data-alert-count]").InnerTextAsync()).Trim().Should().Be("1");
        var firing = page.Locator("[data-panel=history] tr[data-firing][data-acked=false]");
        await firing.WaitForAsync(Long);
        (await firing.InnerTextAsync()).Should().Contain($"creator:{creatorId}").And.Contain("heat");

        await firing.Locator("[data-ack]").ClickAsync();

        await page.Locator("[data-alert-bell][data-unread='0']").WaitForAsync(Long);
        await page.Locator("[data-panel=history] tr[data-firing][data-acked=true]").WaitForAsync(Long);
        (await page.Locator("[data-alert-count]").InnerTextAsync()).Trim().Should().Be("0");
        errors.Should().BeEmpty();
    }
}
