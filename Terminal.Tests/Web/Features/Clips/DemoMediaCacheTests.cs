using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Clips;
using Terminal.Data;
using Terminal.Jobs.Media;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>Issue 11: generated demo media stays within <c>Terminal:Media:DemoCacheBudgetMb</c>, least recently used first, never a file in use.</summary>
public sealed class DemoMediaCacheTests(DemoMediaCacheTests.Factory factory) : IClassFixture<DemoMediaCacheTests.Factory>
{
    public sealed class Factory : ClipsWebFactory
    {
        public Factory()
        {
            Settings["Terminal:Media:DemoCacheBudgetMb"] = "3";
            Settings["Terminal:Media:DemoCacheGraceMinutes"] = "10";
        }
    }

    private async Task<Guid> DemoUnitAsync(TimeSpan usedAgo)
    {
        var vod = await SeedDemoVodAsync(factory.Services, 10);
        var file = factory.Services.GetRequiredService<DemoMediaGenerator>().PathFor(vod.Id);
        await File.WriteAllBytesAsync(file, new byte[1 << 20]);
        var at = DateTime.UtcNow - usedAgo;
        File.SetLastWriteTimeUtc(file, at);
        File.SetLastAccessTimeUtc(file, at);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        db.VodMedia.Add(new VodMedia { VodId = vod.Id, ThumbnailTiles = 2, PlayerFile = Path.GetRelativePath(factory.DataDirectory, file), ProbedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return vod.Id;
    }

    [Fact]
    public async Task OverBudget_EvictsLeastRecentlyUsedFirst_AndNeverAVodInUseOrJustUsed()
    {
        var user = await factory.CreateUserClientAsync();
        var busy = await DemoUnitAsync(TimeSpan.FromHours(5));
        var oldest = await DemoUnitAsync(TimeSpan.FromHours(4));
        var older = await DemoUnitAsync(TimeSpan.FromHours(3));
        var old = await DemoUnitAsync(TimeSpan.FromHours(2));
        var newer = await DemoUnitAsync(TimeSpan.FromHours(1));
        var justUsed = await DemoUnitAsync(TimeSpan.FromMinutes(1));
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            db.ClipRequests.Add(new ClipRequest { Id = Guid.NewGuid(), UserId = user.UserId, VodId = busy, StartSeconds = 0, EndSeconds = 1, Status = ClipStatus.Pending, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var evicted = await factory.Services.GetRequiredService<DemoMediaCache>().CleanAsync(CancellationToken.None);

        evicted.Should().Equal(oldest, older, old);
        var generator = factory.Services.GetRequiredService<DemoMediaGenerator>();
        foreach (var kept in new[] { busy, newer, justUsed })
        {
            File.Exists(generator.PathFor(kept)).Should().BeTrue();
        }

        foreach (var gone in evicted)
        {
            File.Exists(generator.PathFor(gone)).Should().BeFalse();
        }

        await using var check = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        (await check.VodMedia.Where(m => evicted.Contains(m.VodId)).CountAsync()).Should().Be(0, "an evicted VOD is prepared again on its next open");
        (await check.VodMedia.AnyAsync(m => m.VodId == newer)).Should().BeTrue();
    }

    [Fact]
    public async Task UsingADemoVod_MovesItToTheBackOfTheQueue()
    {
        var generator = factory.Services.GetRequiredService<DemoMediaGenerator>();
        var vod = await SeedDemoVodAsync(factory.Services, 10);
        var file = generator.PathFor(vod.Id);
        await File.WriteAllBytesAsync(file, [1]);
        File.SetLastAccessTimeUtc(file, DateTime.UtcNow.AddDays(-1));
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-1));

        await generator.EnsureAsync(vod.Id, 10, CancellationToken.None);

        File.GetLastAccessTimeUtc(file).Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
    }
}
