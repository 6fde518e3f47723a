using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Data;
using Terminal.Jobs.Clips;
using Terminal.Jobs.DemoMarket;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>Issue #16 bug 9: a demo VOD's resolution is the same before it is opened (as the demo market
/// registered it) and after (as the probe of the generated file found it).</summary>
public sealed class DemoVodMetadataTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    [Fact]
    public async Task DemoVodResolution_IsTheSame_BeforeAndAfterTheFileIsGeneratedAndProbed()
    {
        var registered = new DemoMarketModel(new DemoFeedOptions { Seed = 7, Creators = 3, Clippers = 2, ClipsPerCreator = 1, VodsPerCreator = 1, HistoryDays = 1 }, DateTime.UtcNow).Vods.First();
        var vod = await SeedDemoVodAsync(factory.Services, 4, "Resolution check");
        await using (var db = await Db())
        {
            var row = await db.Vods.SingleAsync(v => v.Id == vod.Id);
            (row.Width, row.Height) = (registered.Width, registered.Height);
            await db.SaveChangesAsync();
        }

        await factory.Services.GetRequiredService<VodMediaService>().ProbeAsync(vod.Id, CancellationToken.None);

        await using (var db = await Db())
        {
            var probed = await db.Vods.AsNoTracking().SingleAsync(v => v.Id == vod.Id);
            probed.Status.Should().Be(Terminal.Core.Market.VodStatus.Ready, probed.Error);
            (probed.Width, probed.Height).Should().Be((registered.Width, registered.Height));
        }
    }

    private Task<TerminalDbContext> Db() => factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
}
