using Microsoft.Playwright;

namespace Terminal.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright .NET. Nothing is downloaded: the browser is the system
/// one (ExecutablePath), started headless with the flags this machine needs.
/// </summary>
public static class SystemChromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>How long closing the browser and its driver may take; past it they are left to the process's end.</summary>
    public static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(30);

    /// <summary>Closes the browser, then the Playwright driver, never waiting longer than <see cref="CloseLimit"/> for a browser that hangs on the way out.</summary>
    public static async Task CloseAsync(IPlaywright? playwright, IBrowser? browser)
    {
        if (browser is not null)
        {
            var closing = browser.DisposeAsync().AsTask();
            if (await Task.WhenAny(closing, Task.Delay(CloseLimit)) != closing)
            {
                await Console.Error.WriteLineAsync($"Chromium did not close within {CloseLimit.TotalSeconds:0} s; the driver is stopped without it.");
            }
        }

        playwright?.Dispose();
    }
}
