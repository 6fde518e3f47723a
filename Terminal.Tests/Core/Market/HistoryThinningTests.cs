using Terminal.Core.Market;

namespace Terminal.Tests.Core.Market;

/// <summary>The thinning policy, hand-computed at a clock of 2026-03-01 00:00 UTC: the hourly edge is
/// 2026-02-22 00:00 (7 days back), the daily edge 2026-01-30 00:00 (30 days back).</summary>
public sealed class HistoryThinningTests
{
    private static readonly long Now = At(2026, 3, 1, 0, 0);

    [Theory]
    [InlineData(2026, 2, 26, 12, 0, 0L)]                          // 3 days old: every reading kept
    [InlineData(2026, 2, 22, 0, 30, 0L)]                          // its hour ends at 01:00, past the edge
    [InlineData(2026, 2, 21, 23, 30, TimeSpan.TicksPerHour)]      // its hour ends exactly at the edge
    [InlineData(2026, 2, 20, 10, 15, TimeSpan.TicksPerHour)]
    [InlineData(2026, 1, 30, 0, 10, TimeSpan.TicksPerHour)]       // its day ends on 01-31, after the daily edge
    [InlineData(2026, 1, 29, 12, 0, TimeSpan.TicksPerDay)]        // its day ends exactly at the daily edge
    [InlineData(2025, 12, 1, 5, 0, TimeSpan.TicksPerDay)]
    public void BucketTicks_ByAge(int y, int mo, int d, int h, int mi, long expected) =>
        HistoryThinning.BucketTicks(At(y, mo, d, h, mi), Now).Should().Be(expected);

    [Fact]
    public void Keeps_TheLastReadingOfEachBucket()
    {
        // Hourly region: 10:15 and 10:45 share an hour, 10:45 and 11:05 do not.
        HistoryThinning.Keeps(At(2026, 2, 20, 10, 15), At(2026, 2, 20, 10, 45), Now).Should().BeFalse();
        HistoryThinning.Keeps(At(2026, 2, 20, 10, 45), At(2026, 2, 20, 11, 5), Now).Should().BeTrue();
        // Daily region: 05:00 and 23:00 share a day.
        HistoryThinning.Keeps(At(2026, 1, 10, 5, 0), At(2026, 1, 10, 23, 0), Now).Should().BeFalse();
        HistoryThinning.Keeps(At(2026, 1, 10, 23, 0), At(2026, 1, 11, 0, 0), Now).Should().BeTrue();
        // Recent: all kept; and an entity's last reading is always kept.
        HistoryThinning.Keeps(At(2026, 2, 28, 10, 15), At(2026, 2, 28, 10, 16), Now).Should().BeTrue();
        HistoryThinning.Keeps(At(2025, 1, 1, 0, 0), null, Now).Should().BeTrue();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ThinningTwice_AsTimePasses_EqualsThinningOnceLater(int seed)
    {
        var rng = new Random(seed);
        var readings = Enumerable.Range(0, 3_000).Select(_ => Now - rng.NextInt64(0, TimeSpan.TicksPerDay * 60)).Distinct().Order().ToList();
        var later = Now + TimeSpan.TicksPerDay * 9 + rng.NextInt64(0, TimeSpan.TicksPerDay);

        var twice = Thin(Thin(readings, Now), later);
        var once = Thin(readings, later);

        twice.Should().Equal(once);
        once.Count.Should().BeLessThan(readings.Count);
    }

    private static List<long> Thin(List<long> sorted, long now) =>
        sorted.Where((t, i) => HistoryThinning.Keeps(t, i + 1 < sorted.Count ? sorted[i + 1] : null, now)).ToList();

    private static long At(int y, int mo, int d, int h, int mi) => new DateTime(y, mo, d, h, mi, 0, DateTimeKind.Utc).Ticks;
}
