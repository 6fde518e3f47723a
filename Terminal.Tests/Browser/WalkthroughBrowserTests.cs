using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Terminal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Terminal.Tests.Browser;

/// <summary>
/// One app (demo feed on, small market) and one Chromium shared by the walkthrough tests: each test
/// opens its own page in the signed-in context of a plain (non-admin) user.
/// </summary>
public sealed class WalkthroughFixture : IAsyncLifetime
{
    private BrowserSession _app = default!;

    public string Email { get; private set; } = "";

    /// <summary>Cookies of <see cref="Email"/> after logging in through the form.</summary>
    public string StorageState { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _app = await BrowserSession.StartDemoAsync(creators: 60, clippers: 30, clipsPerCreator: 4, tickIntervalMilliseconds: 500);
        Email = await _app.RegisterAsync("walker");

        await using var context = await _app.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(_app.Base, "/login").ToString());
        await BrowserSession.SubmitLoginFormAsync(page, Email);
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        StorageState = await context.StorageStateAsync();
    }

    /// <summary>A signed-in page at the given viewport.</summary>
    public async Task<IPage> NewPageAsync(int width = 1600, int height = 900)
    {
        var context = await _app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            StorageState = StorageState,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BaseURL = _app.Base.ToString(),
        });
        return await context.NewPageAsync();
    }

    public Task DisposeAsync() => _app?.DisposeAsync().AsTask() ?? Task.CompletedTask;
}

/// <summary>Bugs of issue 16's walkthrough, each checked in the real browser.</summary>
[Trait("Category", "Browser")]
public sealed class WalkthroughBrowserTests(WalkthroughFixture app, ITestOutputHelper output) : IClassFixture<WalkthroughFixture>
{
    private static readonly LocatorWaitForOptions Long = new() { Timeout = 60_000 };
    private static readonly LocatorWaitForOptions MediaWait = new() { Timeout = 240_000 };

    private static async Task OpenTrndAsync(IPage page)
    {
        await page.GotoAsync("/trnd");
        await page.Locator("[data-screen=trnd][data-interactive=true]").WaitForAsync(Long);
        await page.Locator("[data-panel=creator] tr[data-row]").First.WaitForAsync(Long);
    }

    [Fact]
    public async Task Admin_ForASignedInNonAdmin_ShowsNotAllowed_InsteadOfTheLogInPage()
    {
        var page = await app.NewPageAsync();
        var response = await page.GotoAsync("/admin");
        await page.Locator("[data-screen=forbidden]").WaitForAsync(Long);
        page.Url.Should().NotContain("/login");
        response!.Status.Should().Be(403);
        (await page.Locator("[data-screen=forbidden]").InnerTextAsync()).Should().Contain("Not allowed");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AcctPlatformsAddress_OpensThePlatformsTab_AndTabsChangeTheAddress()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/acct/platforms");
        await page.Locator("[data-screen=acct][data-tab=platforms][data-interactive=true]").WaitForAsync(Long);
        await page.Locator("[data-platform]").First.WaitForAsync(Long);

        await page.Locator(".mud-tab", new PageLocatorOptions { HasText = "API keys" }).ClickAsync();
        await page.WaitForURLAsync("**/acct/keys");
        await page.Locator("[data-screen=acct][data-tab=keys]").WaitForAsync(Long);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ChartTooltip_PrintsTheTimeInUtc_NotApexChartsTokens()
    {
        var page = await app.NewPageAsync();
        await OpenTrndAsync(page);
        await page.Locator("[data-panel=creator] tr[data-row]").First.ClickAsync();
        var plot = page.Locator("[data-chart=trnd-series] .apexcharts-inner");
        await plot.WaitForAsync(Long);
        var title = page.Locator("[data-chart=trnd-series] .apexcharts-tooltip-title");
        var text = "";
        await Wait.UntilAsync(async () =>
        {
            var box = await plot.BoundingBoxAsync();
            await page.Mouse.MoveAsync(box!.X + (box.Width * 0.6f), box.Y + (box.Height / 2));
            await page.Mouse.MoveAsync(box.X + (box.Width * 0.61f), box.Y + (box.Height / 2));
            text = await title.CountAsync() > 0 ? (await title.TextContentAsync() ?? "").Trim() : "";
            return text.Length > 0;
        }, TimeSpan.FromSeconds(20), "the chart shows a tooltip");
        text.Should().MatchRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Phone_TrndKeepsNames_MenuCollapses_LogOutReachable_AndAcctTabsWrap()
    {
        var page = await app.NewPageAsync(390, 844);
        await OpenTrndAsync(page);

        // The sidebar does not eat the screen: the body starts at the left edge.
        var body = await page.Locator(".terminal-body").BoundingBoxAsync();
        body!.X.Should().BeLessThan(10);
        // Names stay readable in the creator grid.
        var name = await page.Locator("[data-panel=creator] tr[data-row] td.name").First.BoundingBoxAsync();
        name!.Width.Should().BeGreaterThan(80);
        (await page.Locator("[data-panel=creator] tr[data-row] td.name").First.InnerTextAsync()).Should().NotBeNullOrWhiteSpace();
        // Log out is on screen.
        var logout = page.Locator("[data-logout]");
        (await logout.IsVisibleAsync()).Should().BeTrue();
        var box = await logout.BoundingBoxAsync();
        (box!.X + box.Width).Should().BeLessThanOrEqualTo(390);
        // The menu opens the function list.
        await page.Locator("[data-menu]").ClickAsync();
        await page.Locator("[data-fn=ACCT]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });

        await page.GotoAsync("/acct/profile");
        await page.Locator("[data-screen=acct][data-interactive=true]").WaitForAsync(Long);
        await page.Locator(".mud-tab").Last.WaitForAsync(Long);
        var tabs = page.Locator(".mud-tab");
        for (var i = 0; i < await tabs.CountAsync(); i++)
        {
            var tab = await tabs.Nth(i).BoundingBoxAsync();
            (tab!.X + tab.Width).Should().BeLessThanOrEqualTo(391, "every ACCT tab is on screen, none behind a scroll arrow");
        }

        await page.Context.CloseAsync();
    }

    /// <summary>Rows of a TRND panel wholly inside its scroll box and the window.</summary>
    private static Task<int> VisibleRowsAsync(IPage page, string panel) => page.EvaluateAsync<int>(
        @"panel => {
            const wrap = document.querySelector(`[data-panel=${panel}] .tgrid-wrap`);
            const box = wrap.getBoundingClientRect();
            return [...wrap.querySelectorAll('tr[data-row]')].filter(tr => {
                const r = tr.getBoundingClientRect();
                return r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 && r.bottom <= window.innerHeight;
            }).length;
        }", panel);

    [Theory]
    [InlineData(1600, 900, 18)]
    [InlineData(1920, 1080, 28)]
    public async Task Trnd_OnAWideScreen_GridsFillTheHeight(int width, int height, int minRows)
    {
        var page = await app.NewPageAsync(width, height);
        await OpenTrndAsync(page);
        await Wait.UntilAsync(async () => await page.Locator("[data-panel=creator] tr[data-row]").CountAsync() >= minRows, TimeSpan.FromSeconds(60), "the creator grid has enough rows to fill");

        // 340 px grids showed 16 rows at 1600x900 with ~80 px unused under the panels.
        var rows = await VisibleRowsAsync(page, "creator");
        output.WriteLine($"{width}x{height}: {rows} creator rows visible");
        rows.Should().BeGreaterThanOrEqualTo(minRows);
        var bottom = await page.EvaluateAsync<double>("() => document.querySelector('.trnd').getBoundingClientRect().bottom");
        var statusTop = await page.EvaluateAsync<double>("() => document.querySelector('[data-statusbar]').getBoundingClientRect().top");
        bottom.Should().BeInRange(statusTop - 24, statusTop + 1, "the panels end just above the status bar: no empty band, no scrolling");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Trnd_At1280Wide_KeepsNameSparklineAndHeat_InEveryPanel()
    {
        var page = await app.NewPageAsync(1280, 720);
        await OpenTrndAsync(page);
        foreach (var panel in new[] { "creator", "topic", "clip" })
        {
            await page.Locator($"[data-panel={panel}] tr[data-row]").First.WaitForAsync(Long);
            var row = page.Locator($"[data-panel={panel}] tr[data-row]").First;
            (await page.Locator($"[data-panel={panel}] th.spark").IsVisibleAsync()).Should().BeTrue($"{panel} keeps its sparkline");
            (await row.Locator("td.spark svg").IsVisibleAsync()).Should().BeTrue($"{panel} draws its sparkline");
            (await page.Locator($"[data-panel={panel}] th.heat").IsVisibleAsync()).Should().BeTrue($"{panel} keeps its heat column");
            (await row.Locator(".heatbar").IsVisibleAsync()).Should().BeTrue($"{panel} keeps its heat bar");
            var name = await row.Locator("td.name").BoundingBoxAsync();
            output.WriteLine($"{panel}: name column {name!.Width} px");
            name.Width.Should().BeGreaterThan(70, $"{panel} still shows names");
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ChartZoom_IsInTheAddress_AndAZoomedAddressOpensOnThatRange()
    {
        var page = await app.NewPageAsync();
        await OpenTrndAsync(page);
        // (the first row is charted on its own; a pick of the user's goes into the address)
        await page.Locator("[data-panel=creator] tr[data-row]").Nth(1).ClickAsync();
        var plot = page.Locator("[data-chart=trnd-series] .apexcharts-inner");
        await plot.WaitForAsync(Long);
        await page.WaitForURLAsync(url => url.Contains("sel=creator", StringComparison.Ordinal));

        // Dragging across the plot zooms, and the address carries the range. A drag that lands while the chart redraws
        // (a tick's new points, on a loaded machine) is lost, as it would be for a person, who drags again: up to three.
        for (var attempt = 1; ; attempt++)
        {
            // The plot element is replaced while the chart redraws: take its box once it is back.
            await plot.WaitForAsync(Long);
            var box = await plot.BoundingBoxAsync();
            if (box is null && attempt < 3)
            {
                continue;
            }

            await page.Mouse.MoveAsync(box!.X + (box.Width * 0.3f), box.Y + (box.Height / 2));
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(box.X + (box.Width * 0.7f), box.Y + (box.Height / 2), new MouseMoveOptions { Steps = 8 });
            await page.Mouse.UpAsync();
            try
            {
                await page.WaitForURLAsync(url => url.Contains("zoom=", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 8_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // dragged into a redraw: again
            }
        }

        var zoom = Terminal.Web.Features.Charts.ChartZoom.ParseQuery(Regex.Match(page.Url, "zoom=([^&]+)").Groups[1].Value);
        zoom.Should().NotBeNull();

        // Reloading that address opens the chart on the same range.
        var address = page.Url;
        await page.GotoAsync(address);
        var host = page.Locator("[data-chart=trnd-series] .tchart-host[data-x-min]");
        await host.WaitForAsync(Long);
        var shownFrom = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(await host.GetAttributeAsync("data-x-min") ?? "0", System.Globalization.CultureInfo.InvariantCulture)).UtcDateTime;
        var shownTo = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(await host.GetAttributeAsync("data-x-max") ?? "0", System.Globalization.CultureInfo.InvariantCulture)).UtcDateTime;
        shownFrom.Should().BeCloseTo(zoom!.From!.Value, TimeSpan.FromSeconds(1));
        shownTo.Should().BeCloseTo(zoom.To!.Value, TimeSpan.FromSeconds(1));
        page.Url.Should().Contain($"zoom={zoom.ToQuery()}", "the restored view keeps its address");

        // Resetting the zoom takes it out of the address.
        await page.Locator("[data-chart=trnd-series] .apexcharts-reset-icon").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("zoom=", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 15_000 });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ApiReference_IsDark_AndMakesNoRequestOutsideTheServer()
    {
        var page = await app.NewPageAsync();
        var outside = new List<string>();
        page.Request += (_, request) =>
        {
            var uri = new Uri(request.Url);
            if (uri.Scheme is "http" or "https" && !uri.IsLoopback)
            {
                outside.Add(request.Url);
            }
        };
        await page.GotoAsync("/scalar/v1", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        // Scalar renders sections lazily as they scroll into view: wait for the first section's operations.
        await page.GetByText("/api/sync/{platform}").Filter(new LocatorFilterOptions { Visible = true }).First.WaitForAsync(Long);
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.scalar-app') ?? document.body).backgroundColor");
        output.WriteLine($"background {background}");
        var rgb = Regex.Matches(background, @"\d+").Take(3).Select(m => int.Parse(m.Value)).ToArray();
        rgb.Should().OnlyContain(c => c < 40, "the reference page is dark like the terminal");
        (await page.GetByText("Ask AI").CountAsync()).Should().Be(0);
        (await page.GetByText("Generate SDK").CountAsync()).Should().Be(0);
        (await page.GetByText("Deploy", new PageGetByTextOptions { Exact = true }).CountAsync()).Should().Be(0);
        outside.Should().BeEmpty();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Axe_FindsNoSeriousViolation_OnTrndCrtrClipAcct_AndScreenshotsAreTaken()
    {
        var page = await app.NewPageAsync(1920, 1080);
        await OpenTrndAsync(page);
        await page.Locator("[data-panel=creator] tr[data-row]").First.DblClickAsync();
        await page.Locator("[data-screen=crtr][data-interactive=true]").WaitForAsync(Long);
        var crtr = page.Url;
        await page.Locator("a[href^='clip/'], a[href^='/clip/']").First.WaitForAsync(Long);
        await page.Locator("a[href^='clip/'], a[href^='/clip/']").First.ClickAsync();
        await page.Locator("[data-screen=clip]").WaitForAsync(Long);
        var clip = page.Url;

        var screens = new (string Name, string Url, string Ready)[]
        {
            ("trnd", "/trnd", "[data-panel=creator] tr[data-row]"),
            ("crtr", crtr, "[data-screen=crtr][data-interactive=true]"),
            ("clip", clip, "[data-screen=clip] video"),
            ("acct", "/acct/platforms", "[data-screen=acct] [data-platform]"),
            ("alrt", "/alrt", "[data-screen=alrt][data-interactive=true]"),
            ("watch", "/watch", "[data-screen=watch]"),
            ("insg", "/insg", "[data-screen=insg]"),
        };
        var problems = new List<string>();
        var shots = Environment.GetEnvironmentVariable("CLIP_TERMINAL_SCREENSHOTS")
            ?? Path.Combine(Path.GetTempPath(), "clip-terminal-shots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(shots);
        foreach (var (width, height) in new[] { (1920, 1080), (1280, 720), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var (name, url, ready) in screens)
            {
                await page.GotoAsync(url);
                // The desk's <video> appears once the demo VOD's media is made with ffmpeg on first open: on a
                // loaded 2-core CI machine that can take more than a minute.
                await page.Locator(ready).First.WaitForAsync(name == "clip" ? MediaWait : Long);
                // Shoot after the charts drew (CRTR's came out blank when shot on arrival): every chart has its
                // series paths with a shape, or says it has no data.
                await page.WaitForFunctionAsync(
                    @"() => [...document.querySelectorAll('[data-chart]')].every(c =>
                        [...c.querySelectorAll('.apexcharts-series path')].some(p => (p.getAttribute('d') || '').length > 20)
                        || c.querySelector('.apexcharts-text.apexcharts-no-data-text, .apexcharts-noData'))",
                    null,
                    new PageWaitForFunctionOptions { Timeout = 60_000 });
                if (width == 1920)
                {
                    var result = await page.RunAxe();
                    problems.AddRange(result.Violations
                        .Where(v => v.Impact is "serious" or "critical")
                        .Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
                }

                if (width == 390)
                {
                    // Nothing may stick out of a phone's viewport sideways: neither the page nor a visible control.
                    var overflow = await page.EvaluateAsync<string[]>(
                        @"() => {
                            const w = window.innerWidth, out = [];
                            if (document.documentElement.scrollWidth > w) out.push('page scrollWidth ' + document.documentElement.scrollWidth);
                            for (const e of document.querySelectorAll('button, input, select, textarea, .mud-input-control, .mud-select, .mud-paper')) {
                                const r = e.getBoundingClientRect();
                                if (r.width > 0 && r.height > 0 && (r.width > w || r.right > w + 1))
                                    out.push(e.tagName.toLowerCase() + '.' + (e.className || '') + ' right ' + Math.round(r.right));
                            }
                            return out.slice(0, 5);
                        }");
                    problems.AddRange(overflow.Select(o => $"{name} at 390 px: overflows the viewport: {o}"));
                }

                var file = Path.Combine(shots, $"{name}-{width}x{height}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
                new FileInfo(file).Length.Should().BeGreaterThan(5_000);
            }
        }

        output.WriteLine($"screenshots in {shots}");
        foreach (var p in problems)
        {
            output.WriteLine(p);
        }

        problems.Should().BeEmpty();
        await page.Context.CloseAsync();
    }
}
