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
}
