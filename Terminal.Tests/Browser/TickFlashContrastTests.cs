using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Terminal.Tests.Browser;

/// <summary>
/// A TRND cell that moved flashes green or red for under a second. The axe walkthrough only sees a flash
/// when a tick happens to land during its scan, so it failed now and then; here every up/down cell is held
/// at the brightest moment of its flash (the animation paused at 0 s) and axe checks the contrast then.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TickFlashContrastTests(WalkthroughFixture app, ITestOutputHelper output) : IClassFixture<WalkthroughFixture>
{
    private static readonly LocatorWaitForOptions Long = new() { Timeout = 60_000 };

    [Fact]
    public async Task FlashingUpAndDownCells_KeepTheirContrast_AtThePeakOfTheFlash()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/trnd");
        await page.Locator("[data-screen=trnd][data-interactive=true]").WaitForAsync(Long);
        await page.Locator("[data-panel=creator] tr[data-row] td.up, [data-panel=creator] tr[data-row] td.down").First.WaitForAsync(Long);

        // Hold every coloured figure at the first frame of the app's own flash keyframes (a stylesheet rule, so
        // a re-render by the next tick keeps it).
        var held = await page.EvaluateAsync<int>(
            """
            () => {
              const style = document.createElement('style');
              style.textContent =
                '.tgrid td.up { animation: flash-up-a 1s linear 0s paused !important; }' +
                '.tgrid td.down { animation: flash-down-a 1s linear 0s paused !important; }';
              document.head.appendChild(style);
              return document.querySelectorAll('.tgrid td.up, .tgrid td.down').length;
            }
            """);
        held.Should().BeGreaterThan(0);

        // The held frame really is tinted (the test would pass vacuously on a flash that shows nothing).
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.tgrid td.up, .tgrid td.down')).backgroundColor");
        background.Should().NotBe("rgba(0, 0, 0, 0)");

        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "rule", Values = ["color-contrast"] },
        });
        var problems = result.Violations
            .SelectMany(v => v.Nodes.Select(n => $"{v.Id}: {n.Html} — {string.Join("; ", n.Any.Select(c => c.Message))}"))
            .ToList();
        foreach (var p in problems)
        {
            output.WriteLine(p);
        }

        problems.Should().BeEmpty();
        await page.Context.CloseAsync();
    }
}
