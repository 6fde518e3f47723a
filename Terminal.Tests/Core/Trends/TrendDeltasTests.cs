using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Tests.Core.Trends;

/// <summary>Deltas between rankings: a replica fed the diffs of many (partly skipped) rankings holds the last one.</summary>
public sealed class TrendDeltasTests
{
    private static readonly DateTime At = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Replica_FedDeltasOfManyTicks_EqualsTheLatestSnapshot(int seed)
    {
        var rng = new Random(seed);
        var sent = Ranking(rng, rng.Next(10, 50));
        var replica = new TrendReplica();
        replica.Apply(new TrendTick("t", sent, At) { Seq = 1 });
        long seq = 1;

        for (var tick = 0; tick < 500; tick++)
        {
            var next = Move(rng, sent);
            if (rng.Next(4) == 0)
            {
                continue; // coalesced away by the broadcaster: the next delta is taken against what was sent
            }

            var delta = TrendDeltas.Diff("t", ++seq, sent, next, At);
            replica.Apply(delta).Should().BeTrue();
            sent = next;
            replica.Items.Should().HaveCount(sent.Count);
            replica.Items.Zip(sent).Should().OnlyContain(p => TrendDeltas.Same(p.First, p.Second), "after tick {0}", tick);
        }

        replica.Seq.Should().Be(seq);
    }

    [Fact]
    public void Diff_CarriesOnlyChangedRows_AndTheIdsThatLeft()
    {
        var before = new List<TrendItem> { Item(1, 10, 100), Item(2, 20, 90), Item(3, 30, 80) };
        var after = new List<TrendItem> { Item(1, 10, 100), Item(2, 30, 95), Item(3, 40, 90) };

        var delta = TrendDeltas.Diff("t", 7, before, after, At);

        delta.Items.Select(i => i.Id).Should().Equal(30, 40);
        delta.Removed.Should().Equal(20);
        delta.Seq.Should().Be(7);
        TrendDeltas.Diff("t", 8, after, after.Select(i => i with { Sparkline = [.. i.Sparkline] }).ToList(), At).IsEmpty
            .Should().BeTrue("an equal sparkline in a new list is no change");
    }

    [Fact]
    public void Replica_RefusesAGap_AndTakesTheNextSnapshot()
    {
        var replica = new TrendReplica();
        var first = new List<TrendItem> { Item(1, 10, 100) };
        replica.Apply(TrendDeltas.Diff("t", 1, [], first, At)).Should().BeFalse("no snapshot yet");
        replica.Apply(new TrendTick("t", first, At) { Seq = 4 });

        replica.Apply(TrendDeltas.Diff("t", 6, first, [Item(1, 10, 120)], At)).Should().BeFalse("5 is missing");
        replica.Items.Single().Velocity.Should().Be(100);

        replica.Apply(new TrendTick("t", [Item(1, 10, 130)], At) { Seq = 6 });
        replica.Apply(TrendDeltas.Diff("t", 6, first, [Item(1, 10, 120)], At)).Should().BeTrue("already covered by the snapshot");
        replica.Items.Single().Velocity.Should().Be(130);
        replica.Apply(TrendDeltas.Diff("t", 7, [Item(1, 10, 130)], [Item(1, 10, 140)], At)).Should().BeTrue();
        replica.Items.Single().Velocity.Should().Be(140);
    }

    private static List<TrendItem> Ranking(Random rng, int count) =>
        Rank(Enumerable.Range(0, count).Select(_ => Item(0, rng.Next(1, 80), rng.Next(0, 1_000))));

    /// <summary>Some rows change velocity, some leave, some arrive; ranks follow velocity.</summary>
    private static List<TrendItem> Move(Random rng, List<TrendItem> items)
    {
        var moved = items.Where(_ => rng.Next(10) != 0)
            .Select(i => rng.Next(3) == 0 ? i with { Velocity = i.Velocity + rng.Next(-50, 200), Sparkline = [.. i.Sparkline.Skip(1), rng.Next(100)] } : i)
            .Concat(Enumerable.Range(0, rng.Next(0, 3)).Select(_ => Item(0, rng.Next(1, 80), rng.Next(0, 1_000))));
        return Rank(moved.Take(50));
    }

    private static List<TrendItem> Rank(IEnumerable<TrendItem> items) =>
        items.GroupBy(i => i.Id).Select(g => g.First()).OrderByDescending(i => i.Velocity).ThenBy(i => i.Id)
            .Select((i, n) => i with { Rank = n + 1 }).ToList();

    private static TrendItem Item(int rank, int id, double velocity) =>
        new(rank, id, $"row {id}", Platform.TikTok, velocity, null, velocity / 10, 1, [1, 2, velocity]);
}
