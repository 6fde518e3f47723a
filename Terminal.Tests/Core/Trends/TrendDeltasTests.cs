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

        delta.Items.Select(i => i.Id).Should().Equal([40], "40 entered: it travels whole");
        var patch = delta.Patches.Should().ContainSingle("30 was held: only what changed travels").Which;
        patch.Should().BeEquivalentTo(new TrendRowPatch(30) { Rank = 2, Velocity = 95, Heat = 9.5, Sparkline = [1, 2, 95] });
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

    [Fact]
    public void Patch_OnTheWire_NamesOnlyTheChangedFields()
    {
        var before = Item(1, 10, 100);
        var patch = TrendRowPatch.Between(before, before with { Velocity = 120, Heat = 12 })!;

        var json = System.Text.Json.JsonSerializer.Serialize(patch, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

        json.Should().Be("""{"id":10,"velocity":120,"heat":12}""");
        patch.ApplyTo(before).Should().BeEquivalentTo(before with { Velocity = 120, Heat = 12 });
    }

    [Fact]
    public void ARowWhoseNameOrANullableValueChanged_TravelsWhole()
    {
        var before = Item(1, 10, 100);
        TrendRowPatch.Between(before, before with { Name = "renamed" }).Should().BeNull();
        TrendRowPatch.Between(before, before with { Change = 0.5 }).Should().BeNull("change appeared: a patch cannot say 'now null' or 'now set' apart from 'unchanged'");

        var delta = TrendDeltas.Diff("t", 2, [before], [before with { Name = "renamed" }], At);
        delta.Items.Should().ContainSingle().Which.Name.Should().Be("renamed");
        delta.Patches.Should().BeEmpty();
    }

    [Fact]
    public void APatchForARowNotHeld_DoesNotApply_AndTheReplicaAsksForASnapshot()
    {
        var replica = new TrendReplica();
        replica.Apply(new TrendTick("t", [Item(1, 10, 100)], At) { Seq = 1 });

        var delta = new TrendDelta("t", 2, [], [], At) { Patches = [new TrendRowPatch(99) { Velocity = 5 }] };

        replica.Apply(delta).Should().BeFalse();
        replica.Seq.Should().Be(1);
    }

    [Theory]
    [InlineData(1234567.0, 4, 1235000.0)]
    [InlineData(0.0123456, 3, 0.0123)]
    [InlineData(-98.765, 3, -98.8)]
    [InlineData(0.0, 3, 0.0)]
    [InlineData(99.95, 3, 100.0)]
    public void Significant_RoundsToDigits(double value, int digits, double expected) =>
        TrendWirePrecision.Significant(value, digits).Should().Be(expected);

    [Fact]
    public void WirePrecision_PrintsShort_AndHidesDriftNoScreenShows()
    {
        var row = Item(1, 10, 1234.5678) with { Heat = 57.123456, Sparkline = [0.1 + 0.2, 1234.5678, 98765.4321] };

        var wire = TrendWirePrecision.Apply([row]).Single();

        System.Text.Json.JsonSerializer.Serialize(wire.Sparkline).Should().Be("[0.3,1230,98800]");
        wire.Velocity.Should().Be(1235);
        wire.Heat.Should().Be(57.1);
        var drifted = TrendWirePrecision.Apply([row with { Heat = 57.1234, Velocity = 1234.5601 }]).Single();
        TrendDeltas.Same(wire, drifted).Should().BeTrue("a drift below what a screen shows is no change on the wire");
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
