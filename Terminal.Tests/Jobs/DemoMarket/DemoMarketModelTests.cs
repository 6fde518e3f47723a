using Terminal.Core.Market;
using Terminal.Jobs.DemoMarket;

namespace Terminal.Tests.Jobs.DemoMarket;

public sealed class DemoMarketModelTests
{
    private static readonly DateTime Anchor = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);

    private static DemoFeedOptions Small(int seed = 42) => new() { Seed = seed, Creators = 30, Clippers = 12, ClipsPerCreator = 6, VodsPerCreator = 2, HistoryDays = 5 };

    private static string Fingerprint(MetricSnapshot s) => $"{s.Kind}:{s.EntityId}@{s.At:O}={s.Views}/{s.Likes}/{s.Comments}/{s.Shares}/{s.Followers}";

    [Fact]
    public void SameSeed_GivesTheSameEntitiesAndTheSameSnapshotValues()
    {
        var a = new DemoMarketModel(Small(), Anchor);
        var b = new DemoMarketModel(Small(), Anchor);

        a.Creators.Select(c => (c.Id, c.Handle, c.Platform, c.TopicId)).Should().Equal(b.Creators.Select(c => (c.Id, c.Handle, c.Platform, c.TopicId)));
        a.Clippers.Select(c => (c.Id, c.Handle, c.Platform)).Should().Equal(b.Clippers.Select(c => (c.Id, c.Handle, c.Platform)));
        a.Vods.Select(v => (v.Id, v.Title, v.DurationSeconds, v.PublishedAt)).Should().Equal(b.Vods.Select(v => (v.Id, v.Title, v.DurationSeconds, v.PublishedAt)));
        a.Clips.Select(c => (c.Id, c.Title, c.VodId, c.SourceStartSeconds, c.SourceEndSeconds, c.PublishedAt))
            .Should().Equal(b.Clips.Select(c => (c.Id, c.Title, c.VodId, c.SourceStartSeconds, c.SourceEndSeconds, c.PublishedAt)));
        a.Backfill().Select(Fingerprint).Should().Equal(b.Backfill().Select(Fingerprint));
        a.Step(Anchor.AddSeconds(1)).Snapshots.Select(Fingerprint).Should().Equal(b.Step(Anchor.AddSeconds(1)).Snapshots.Select(Fingerprint));
    }

    [Fact]
    public void AnotherSeed_GivesAnotherMarket()
    {
        var a = new DemoMarketModel(Small(1), Anchor);
        var b = new DemoMarketModel(Small(2), Anchor);

        a.Creators.Select(c => c.Handle).Should().NotEqual(b.Creators.Select(c => c.Handle));
    }

    [Fact]
    public void Entities_SpanThreePlatformsAndSeveralNiches_WithUniqueHandles()
    {
        var model = new DemoMarketModel(new DemoFeedOptions { Seed = 7, Creators = 300, HistoryDays = 1 }, Anchor);

        model.Creators.Select(c => c.Platform).Distinct().Should().HaveCount(3);
        model.Creators.Select(c => c.TopicId).Distinct().Count().Should().BeGreaterThan(8);
        model.Creators.Select(c => (c.Platform, c.Handle)).Should().OnlyHaveUniqueItems();
        model.Clippers.Select(c => (c.Platform, c.Handle)).Should().OnlyHaveUniqueItems();
        model.Creators.Should().OnlyContain(c => c.IsDemo && c.Handle.Length > 2);
    }

    [Fact]
    public void DemoVods_AreReadyWithDuration_AndClipsClusterInsideThem()
    {
        var model = new DemoMarketModel(Small(), Anchor);
        var vods = model.Vods.ToDictionary(v => v.Id);

        model.Vods.Should().OnlyContain(v => v.IsDemo && v.Status == VodStatus.Ready && v.DurationSeconds >= 600 && v.DurationSeconds <= 3600
            && v.SourceUrl == $"demo://vod/{v.Id}");
        var cut = model.Clips.Where(c => c.VodId is not null).ToList();
        cut.Should().NotBeEmpty();
        cut.Should().OnlyContain(c => c.SourceStartSeconds >= 0 && c.SourceEndSeconds > c.SourceStartSeconds
            && c.SourceEndSeconds <= vods[c.VodId!.Value].DurationSeconds && vods[c.VodId!.Value].CreatorId == c.CreatorId);

        // Hot zones: clips of one VOD concentrate around a few moments rather than spreading evenly.
        var busiest = cut.GroupBy(c => c.VodId).OrderByDescending(g => g.Count()).First().ToList();
        var starts = busiest.Select(c => c.SourceStartSeconds!.Value).Order().ToList();
        var duration = vods[busiest[0].VodId!.Value].DurationSeconds!.Value;
        var gaps = starts.Zip(starts.Skip(1), (x, y) => y - x).ToList();
        if (gaps.Count >= 2)
        {
            gaps.Min().Should().BeLessThan(duration / starts.Count, "clips cluster around moments");
        }
    }

    [Fact]
    public void Backfill_IsNonDecreasing_StartsClipsAtZero_AndTopicsSumTheirPosts()
    {
        var model = new DemoMarketModel(Small(), Anchor);
        var snapshots = model.Backfill().ToList();

        foreach (var series in snapshots.Where(s => s.Kind != EntityKind.Topic).GroupBy(s => (s.Kind, s.EntityId)))
        {
            var ordered = series.OrderBy(s => s.At).ToList();
            ordered.Zip(ordered.Skip(1)).Should().OnlyContain(p => p.Second.Views >= p.First.Views && p.Second.At > p.First.At);
            if (series.Key.Kind == EntityKind.Clip)
            {
                ordered[0].Views.Should().Be(0);
                ordered[0].At.Should().Be(model.Clips.Single(c => c.Id == series.Key.EntityId).PublishedAt);
            }
        }

        // At the anchor, a topic's stored views = Σ latest stored views of its creators and clips.
        var last = snapshots.Where(s => s.Kind != EntityKind.Topic).GroupBy(s => (s.Kind, s.EntityId)).ToDictionary(g => g.Key, g => g.MaxBy(s => s.At)!.Views);
        foreach (var topic in model.Topics)
        {
            var expected = model.Creators.Where(c => c.TopicId == topic.Id).Sum(c => last.GetValueOrDefault((EntityKind.Creator, c.Id)))
                + model.HistoricClips.Where(c => c.TopicId == topic.Id).Sum(c => last.GetValueOrDefault((EntityKind.Clip, c.Id)));
            snapshots.Where(s => s.Kind == EntityKind.Topic && s.EntityId == topic.Id).MaxBy(s => s.At)!.Views.Should().Be(expected);
        }
    }

    [Fact]
    public void Steps_PublishScheduledClips_AndMoveTheMarketForward()
    {
        var model = new DemoMarketModel(Small(), Anchor);
        _ = model.Backfill().Count();

        var later = Anchor.AddDays(2);
        var step = model.Step(later);

        step.NewClips.Should().NotBeEmpty();
        step.NewClips.Should().OnlyContain(c => c.PublishedAt > Anchor && c.PublishedAt <= later);
        step.Snapshots.Should().NotBeEmpty();
        step.Snapshots.Should().OnlyContain(s => s.At <= later);
    }
}

public sealed class DemoMarketTopicConsistencyTests
{
    [Fact]
    public void TopicVelocityFromStoredTopicReadings_EqualsTheEnginesSumOverPosts()
    {
        var anchor = new DateTime(2026, 11, 1, 12, 0, 7, DateTimeKind.Utc);
        var model = new DemoMarketModel(new DemoFeedOptions { Seed = 5, Creators = 20, Clippers = 10, ClipsPerCreator = 6, VodsPerCreator = 2 }, anchor);
        var snapshots = model.Backfill().ToList();
        using var engine = new Terminal.Core.Trends.TrendEngine();
        engine.Register(model.Topics.Select(EntityInfo.Of).Concat(model.Creators.Select(EntityInfo.Of)).Concat(model.HistoricClips.Select(EntityInfo.Of)));
        engine.Ingest(snapshots);
        var now = anchor.AddSeconds(3);

        var ranking = engine.Query(new Terminal.Core.Trends.TrendQuery(EntityKind.Topic, null, Period.Day, 50), now);
        foreach (var item in ranking.Data)
        {
            var stored = snapshots.Where(s => s.Kind == EntityKind.Topic && s.EntityId == item.Id).OrderBy(s => s.At).ToList();
            long M(DateTime t) => stored.LastOrDefault(s => s.At <= t)?.Views ?? stored[0].Views;
            item.Velocity.Should().BeApproximately((M(now) - M(now.AddHours(-24))) / 24.0, 1e-6, "topic {0}", item.Id);
        }
    }
}

public sealed class CommandBarExampleTests
{
    [Fact]
    public void ThePlaceholdersExampleCreator_IsACreatorOfTheDefaultDemoMarket()
    {
        var market = new DemoMarketModel(new DemoFeedOptions(), new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc));

        market.Creators.Select(c => c.Handle).Should().Contain(Terminal.Web.Features.Shell.CommandBar.ExampleCreator);
    }
}
