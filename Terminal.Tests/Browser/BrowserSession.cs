using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Browser;

/// <summary>
/// The app on a loopback port (Kestrel, <see cref="TerminalWebFactory.StartRealServer"/>) and the system
/// Chromium, for one browser test class or fixture: users are registered through the API over the real
/// port, and pages sign in through the log-in form as a person would. Disposing it closes the browser,
/// then the app.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string Password = "Passw0rd!x";

    /// <summary>How long a screen may take to say it is interactive after the log-in form is sent, unless the test says otherwise.</summary>
    public static readonly LocatorWaitForOptions ScreenWait = new() { Timeout = 15_000 };

    private BrowserSession(TerminalWebFactory factory, Uri @base, IPlaywright playwright, IBrowser browser)
    {
        Factory = factory;
        Base = @base;
        Playwright = playwright;
        Browser = browser;
    }

    public TerminalWebFactory Factory { get; }

    /// <summary>The real server's address (the factory's own clients talk to an in-memory server instead).</summary>
    public Uri Base { get; }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    /// <summary>
    /// Starts a <see cref="TerminalWebFactory"/> over a small demo market (one VOD a creator, two days of
    /// history, one day ahead) so the backfill is quick on 2 cores; the tick interval is the app's default
    /// unless given.
    /// </summary>
    public static Task<BrowserSession> StartDemoAsync(int creators, int clippers, int clipsPerCreator, int? tickIntervalMilliseconds = null)
    {
        var factory = new TerminalWebFactory();
        factory.Settings["Terminal:DemoFeed:Enabled"] = "true";
        factory.Settings["Terminal:DemoFeed:Creators"] = $"{creators}";
        factory.Settings["Terminal:DemoFeed:Clippers"] = $"{clippers}";
        factory.Settings["Terminal:DemoFeed:ClipsPerCreator"] = $"{clipsPerCreator}";
        factory.Settings["Terminal:DemoFeed:VodsPerCreator"] = "1";
        factory.Settings["Terminal:DemoFeed:HistoryDays"] = "2";
        factory.Settings["Terminal:DemoFeed:FutureDays"] = "1";
        if (tickIntervalMilliseconds is { } tick)
        {
            factory.Settings["Terminal:DemoFeed:TickIntervalMilliseconds"] = $"{tick}";
        }

        return StartAsync(factory);
    }

    /// <summary>Starts <paramref name="factory"/> (configured by the caller) on a real port and launches Chromium; the session owns the factory from here on.</summary>
    public static async Task<BrowserSession> StartAsync(TerminalWebFactory factory)
    {
        IPlaywright? playwright = null;
        IBrowser? browser = null;
        try
        {
            var @base = factory.StartRealServer();
            (playwright, browser) = await SystemChromium.LaunchAsync();
            return new BrowserSession(factory, @base, playwright, browser);
        }
        catch
        {
            await SystemChromium.CloseAsync(playwright, browser);
            await factory.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers a new user <c>{prefix}-{guid}@test.local</c> with <see cref="Password"/> through the API, over the real port; returns the e-mail.</summary>
    public async Task<string> RegisterAsync(string prefix)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@test.local";
        using var http = new HttpClient { BaseAddress = Base };
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { email, password = Password });
        response.EnsureSuccessStatusCode();
        return email;
    }

    /// <summary>A new page (with no one signed in) at the given viewport.</summary>
    public Task<IPage> NewPageAsync(int width = 1600, int height = 900) =>
        Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });

    /// <summary>
    /// Opens <paramref name="path"/> anonymously, which lands on the log-in page (SPEC §2); signs in there
    /// as <paramref name="email"/>, waits to be brought back to <paramref name="path"/> and, when the screen
    /// has a <c>data-interactive</c> flag, for <c>[data-screen=<paramref name="screen"/>][data-interactive=true]</c>.
    /// Returns the time from sending the form to that point.
    /// </summary>
    public async Task<TimeSpan> SignInAsync(IPage page, string email, string path, string? screen, LocatorWaitForOptions? screenWait = null)
    {
        await page.GotoAsync(new Uri(Base, path).ToString());
        await page.WaitForURLAsync("**/login?returnUrl=*");
        var clock = Stopwatch.StartNew();
        await SubmitLoginFormAsync(page, email);
        await page.WaitForURLAsync($"**{path}**");
        if (screen is not null)
        {
            await page.Locator($"[data-screen={screen}][data-interactive=true]").WaitForAsync(screenWait ?? ScreenWait);
        }

        return clock.Elapsed;
    }

    /// <summary><see cref="NewPageAsync"/> then <see cref="SignInAsync"/>: a page signed in as <paramref name="email"/> on <paramref name="path"/>, interactive.</summary>
    public async Task<IPage> SignedInPageAsync(string email, string path, string screen, LocatorWaitForOptions? screenWait = null)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, email, path, screen, screenWait);
        return page;
    }

    /// <summary>Fills the log-in form on <paramref name="page"/> with <paramref name="email"/> and <see cref="Password"/> and sends it with Enter.</summary>
    public static async Task SubmitLoginFormAsync(IPage page, string email)
    {
        await page.FillAsync("input[type=email][autocomplete=username]", email);
        await page.FillAsync("input[type=password]", Password);
        await page.PressAsync("input[type=password]", "Enter");
    }

    /// <summary>
    /// Collects, from now on, what <paramref name="page"/> reports as going wrong: console messages of type
    /// error and/or uncaught page errors.
    /// </summary>
    public static List<string> CollectErrors(IPage page, bool console = true, bool pageErrors = true)
    {
        var errors = new List<string>();
        if (console)
        {
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add(message.Text);
                }
            };
        }

        if (pageErrors)
        {
            page.PageError += (_, error) => errors.Add(error);
        }

        return errors;
    }

    public async ValueTask DisposeAsync()
    {
        await SystemChromium.CloseAsync(Playwright, Browser);
        await Factory.DisposeAsync();
    }
}
