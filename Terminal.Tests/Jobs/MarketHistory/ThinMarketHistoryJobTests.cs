using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Data;
using Terminal.Data.Market;
using Terminal.Jobs.MarketHistory;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Jobs.MarketHistory;

/// <summary>
/// The thinning job against a real SQLite database: 40 days of a reading every 10 minutes for two
/// entities, thinned at 2026-03-01 00:00 UTC (hourly edge 02-22 00:00, daily edge 01-30 00:00).
/// </summary>
public sealed class ThinMarketHistoryJobTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime HourlyEdge = new(2026, 2, 22, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime DailyEdge = new(2026, 1, 30, 0, 0, 0, DateTimeKind.Utc);
    private const int Days = 40;

    private readonly TerminalWebFactory _factory = new();

    [Fact]
    public async Task Run_KeepsRecentHistory_TheLastReadingOfEachOldHour_AndOfEachVeryOldDay()
    {
        var raw = await SeedAsync();

        var result = await Job().RunAsync(default);

        var left = await StoredAsync();
        foreach (var kind in new[] { EntityKind.Creator, EntityKind.Clip })
        {
            var mine = left.Where(s => s.Kind == kind).Select(s => s.At).Order().ToList();
            var expected = raw.Where(s => s.Kind == kind).Select(s => s.At)
                .Where(at => at >= HourlyEdge
                    || (at >= DailyEdge && at.Minute == 50)            // the :50 reading closes each hour
                    || (at < DailyEdge && at.Hour == 23 && at.Minute == 50)) // 23:50 closes each day
                .Order().ToList();
            mine.Should().Equal(expected);
        }

        result.Deleted.Should().Be(raw.Count - left.Count);
        result.Deleted.Should().BeGreaterThan(MarketHistoryStore.DeleteBatch, "the deletes ran in several batches");
    }

    [Fact]
    public async Task Run_LeavesTheValueInForceAtEveryKeptBucketEnd_Unchanged()
    {
        var raw = await SeedAsync();

        await Job().RunAsync(default);

        var left = await StoredAsync();
        var views = raw.Where(s => s.Kind == EntityKind.Creator).OrderBy(s => s.At).ToList();
        var kept = left.Where(s => s.Kind == EntityKind.Creator).OrderBy(s => s.At).ToList();
        // m(e, t) at the end of every hour (hourly region) and of every day (daily region) is what it was.
        for (var t = Now.AddDays(-Days + 1); t < Now; t = t.AddHours(t < DailyEdge ? 24 : 1))
        {
            var instant = t.AddTicks(-1);
            kept.Last(s => s.At <= instant).Views.Should().Be(views.Last(s => s.At <= instant).Views, "at {0:O}", instant);
        }
    }

    [Fact]
    public async Task Run_IsIdempotent_AndAnHourLaterThinsOnlyWhatCrossedAnEdge()
    {
        await SeedAsync();
        var progress = new MarketHistoryProgress();
        var clock = new FakeTimeProvider(Now);
        await Job(progress, clock).RunAsync(default);
        var afterFirst = (await StoredAsync()).Count;

        (await Job(progress, clock).RunAsync(default)).Deleted.Should().Be(0);
        (await Job(new MarketHistoryProgress(), clock).RunAsync(default)).Deleted.Should().Be(0, "a fresh walk after a restart finds nothing more to drop");

        clock.Advance(TimeSpan.FromHours(1));
        var next = await Job(progress, clock).RunAsync(default);

        // The hour 02-22 00:00–01:00 crossed the 7-day edge: 6 readings → 1, for each of the two entities.
        next.Deleted.Should().Be(10);
        (await StoredAsync()).Should().HaveCount(afterFirst - 10);
    }

    [Fact]
    public async Task Restart_LoadsOnlyTheThinnedHistory()
    {
        await SeedAsync();
        await Job().RunAsync(default);
        var store = _factory.Services.GetRequiredService<IMarketStore>();

        using var engine = new TrendEngine();
        var loaded = await store.LoadEngineAsync(engine, Now, default);

        loaded.Should().Be((await StoredAsync()).Count);
        loaded.Should().BeLessThan(2 * (7 * 144 + 23 * 24 + 10 + 2), "7 days at 10 minutes, 23 days hourly, 10 days daily per entity");
    }

    public void Dispose() => _factory.Dispose();

    private ThinMarketHistoryJob Job(MarketHistoryProgress? progress = null, TimeProvider? clock = null) =>
        new(_factory.Services.GetRequiredService<IMarketHistory>(), progress ?? new MarketHistoryProgress(), clock ?? new FakeTimeProvider(Now),
            NullLogger<ThinMarketHistoryJob>.Instance);

    private async Task<List<MetricSnapshot>> SeedAsync()
    {
        var raw = new List<MetricSnapshot>();
        foreach (var (kind, id) in new[] { (EntityKind.Creator, 1), (EntityKind.Clip, 2) })
        {
            for (var t = Now.AddDays(-Days); t < Now; t = t.AddMinutes(10))
            {
                var minutes = (long)(t - Now.AddDays(-Days)).TotalMinutes;
                raw.Add(new MetricSnapshot { Kind = kind, EntityId = id, At = t, Views = 1_000 + (minutes * 7), Likes = minutes });
            }
        }

        await _factory.Services.GetRequiredService<IMarketStore>().InsertSnapshotsAsync(raw, default);
        return raw;
    }

    private async Task<List<MetricSnapshot>> StoredAsync()
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        return await db.Snapshots.AsNoTracking().ToListAsync();
    }
}
