using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Terminal.Data;
using Terminal.Data.Cluster;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Cluster;

namespace Terminal.Tests.Web.Features.Cluster;

/// <summary>
/// The producer election on the real <c>Leases</c> table, with a clock the test moves: a producer that dies
/// (stops renewing, never releases) is replaced once its lease expired, and stops trusting its own lease
/// before that, so two nodes never produce at once.
/// </summary>
public sealed class MarketProducerElectionTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ADeadProducer_IsReplacedOnceItsLeaseExpired_WithoutOverlap()
    {
        var leases = await FreshLeasesAsync();
        using var a = Election(leases);
        using var b = Election(leases);

        await a.TryOnceAsync(CancellationToken.None);
        await b.TryOnceAsync(CancellationToken.None);
        a.IsProducer.Should().BeTrue();
        b.IsProducer.Should().BeFalse("A holds the lease");
        var termBefore = b.Term;

        // A dies: it renews no more. Just before the lease expires B still may not take over…
        _time.Advance(Lease - TimeSpan.FromMilliseconds(100));
        await b.TryOnceAsync(CancellationToken.None);
        b.IsProducer.Should().BeFalse("A's lease has not expired yet");
        a.IsProducer.Should().BeFalse("A stops trusting a lease it could not renew before it may be taken");

        // …and once it expired B takes over, in a new term (its DEMO model catches up first).
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await b.TryOnceAsync(CancellationToken.None);
        b.IsProducer.Should().BeTrue();
        b.Term.Should().Be(termBefore + 1);
    }

    [Fact]
    public async Task AProducerThatRenews_KeepsProducing_InOneTerm()
    {
        var leases = await FreshLeasesAsync();
        using var a = Election(leases);
        using var b = Election(leases);
        await a.TryOnceAsync(CancellationToken.None);
        var term = a.Term;

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(Lease / 3);
            await a.TryOnceAsync(CancellationToken.None);
            await b.TryOnceAsync(CancellationToken.None);
            a.IsProducer.Should().BeTrue();
            b.IsProducer.Should().BeFalse();
        }

        a.Term.Should().Be(term);
    }

    /// <summary>The lease store on the fixture's database, with no producer lease left by another test.</summary>
    private async Task<LeaseStore> FreshLeasesAsync()
    {
        var database = factory.Services.GetRequiredService<TerminalDatabase>();
        await using (var db = await database.OpenAsync(CancellationToken.None))
        {
            await db.Leases.Where(l => l.Name == MarketProducerElection.LeaseName).ExecuteDeleteAsync();
        }

        return new LeaseStore(database, _time);
    }

    private MarketProducerElection Election(LeaseStore leases)
    {
        // Each election is its own node (its own holder id); the lease name is shared, so each test starts from a free lease.
        var node = new ClusterNode(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Terminal:Redis"] = "127.0.0.1:1" }).Build());
        var options = Options.Create(new MarketClusterOptions { ProducerLeaseSeconds = Lease.TotalSeconds });
        return new MarketProducerElection(leases, node, options, _time, NullLogger<MarketProducerElection>.Instance);
    }
}
