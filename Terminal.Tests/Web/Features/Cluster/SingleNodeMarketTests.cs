using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Market;

namespace Terminal.Tests.Web.Features.Cluster;

/// <summary>Without <c>Terminal:Redis</c> the market stays in process: this node produces, its feed is the in-process bus, its tick groups are the plain topic names.</summary>
public sealed class SingleNodeMarketTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public void WithoutRedis_TheNodeProducesTheMarketOnItsOwn()
    {
        factory.Services.GetRequiredService<IMarketProducer>().Should().BeOfType<SingleNodeMarketProducer>()
            .Which.IsProducer.Should().BeTrue();
        factory.Services.GetRequiredService<IMarketFeed>().Should().BeOfType<InProcessMarketFeed>();
    }

    [Fact]
    public void WithoutRedis_TickGroupsAreTheTopicNames()
    {
        var broadcaster = factory.Services.GetRequiredService<MarketHubBroadcaster>();

        broadcaster.TickGroup("trends:creators:all:24h").Should().Be("trends:creators:all:24h");
        broadcaster.DeltaTickGroup("trends:creators:all:24h", "c1").Should().Be(MarketHubBroadcaster.DeltaGroup("trends:creators:all:24h", MarketHubBroadcaster.Bucket("c1")));
    }
}
