using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Trends;
using Terminal.Data;
using Microsoft.EntityFrameworkCore;

namespace Terminal.Tests.Web.Features.Market;

public sealed class MarketRestartTests
{
    [Fact]
    public async Task SecondStart_OnTheSameData_ResumesTheDemoWithoutBackfillingAgain_AndRebuildsTheEngineFromTheDatabase()
    {
        using var first = new DemoMarketFactory();
        await first.WaitForMarketAsync();
        var (creators, snapshots) = await CountsAsync(first);

        using var second = new DemoMarketFactory();
        second.Settings["Terminal:DataDirectory"] = first.DataDirectory;
        await second.WaitForMarketAsync();

        (await CountsAsync(second)).Should().Be((creators, snapshots), "the second start found the demo market and did not backfill again");
        var engine = second.Services.GetRequiredService<TrendEngine>();
        engine.Query(new TrendQuery(Terminal.Core.Market.EntityKind.Creator, null, Terminal.Core.Market.Period.Month, 500)).Data
            .Should().HaveCount(creators, "the engine was rebuilt from the stored snapshots");
    }

    private static async Task<(int Creators, int Snapshots)> CountsAsync(DemoMarketFactory factory)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        return (await db.Creators.CountAsync(), await db.Snapshots.CountAsync());
    }
}
