using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Clips;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Jobs.Clips;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Clips;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>The CLIP picker (no VOD chosen): a dense VOD grid with poster thumbnails; a row opens the desk.</summary>
public sealed class ClipPickerTests(ClipsWebFactory factory) : BunitTestBase, IClassFixture<ClipsWebFactory>
{
    [Fact]
    public async Task ListsRecentVods_WithThePosterOfProbedOnes_AndARowOpensTheDesk()
    {
        var user = await factory.CreateUserClientAsync();
        var probed = await SeedDemoVodAsync(factory.Services, 6, "Picker probed");
        var unprobed = await SeedDemoVodAsync(factory.Services, 6, "Picker unprobed");
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            // A registered (not demo) VOD: demo ones may get an early poster from DemoPosterJob.
            (await db.Vods.SingleAsync(v => v.Id == unprobed.Id)).IsDemo = false;
            await db.SaveChangesAsync();
        }

        await factory.Services.GetRequiredService<VodMediaService>().ProbeAsync(probed.Id, CancellationToken.None);
        foreach (var type in new[] { typeof(ClipDesk), typeof(VodMediaService), typeof(IMarketQueries) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));

        var page = Render<ClipPickerPage>();

        page.WaitForAssertion(() => page.FindAll($"[data-testid=vod-list] tr[data-vod='{probed.Id}']").Should().HaveCount(1));
        page.Find(".screen-key").TextContent.Should().Be("CLIP");
        page.Find($"tr[data-vod='{probed.Id}'] td.thumb img").GetAttribute("src").Should().Be($"/api/vods/{probed.Id}/poster");
        page.FindAll($"tr[data-vod='{unprobed.Id}'] td.thumb img").Should().BeEmpty("that VOD has no strip yet");
        page.Find($"tr[data-vod='{unprobed.Id}'] td.thumb .thumb-empty").Should().NotBeNull();
        page.Find($"tr[data-vod='{probed.Id}'] td.num").TextContent.Should().NotBe("—", "the probe measured its length");

        await page.Find($"tr[data-vod='{unprobed.Id}']").ClickAsync();
        // The click is dispatched through the renderer, which may still be busy with a list refresh.
        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => navigation.Uri.Should().EndWith($"/clip/{unprobed.Id}"), TimeSpan.FromSeconds(5));
    }
}
