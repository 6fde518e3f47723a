using Microsoft.Extensions.DependencyInjection.Extensions;
using Terminal.Core.Market;

namespace Terminal.Web.Features.Cluster;

/// <summary>
/// The market across nodes. With <c>Terminal:Redis</c> set: one node, elected with a database lease,
/// produces the market (<see cref="MarketProducerElection"/>), and every node's market feed is the Redis
/// stream (<see cref="ClusterMarketFeed"/>), so all trend engines hold the same state and each node ticks
/// for its own hub connections. Without it nothing changes: one node, the in-process feed.
/// </summary>
public static class ClusterFeature
{
    public static IHostApplicationBuilder AddClusterFeature(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<ClusterNode>();
        services.TryAddSingleton<ClusterRedis>();
        if (string.IsNullOrWhiteSpace(builder.Configuration["Terminal:Redis"]))
        {
            return builder;
        }

        services.AddOptions<MarketClusterOptions>().BindConfiguration(MarketClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MarketProducerElection>();
        services.Replace(ServiceDescriptor.Singleton<IMarketProducer>(sp => sp.GetRequiredService<MarketProducerElection>()));
        services.AddHostedService(sp => sp.GetRequiredService<MarketProducerElection>());

        services.AddSingleton<ClusterMarketFeed>();
        services.Replace(ServiceDescriptor.Singleton<IMarketFeed>(sp => sp.GetRequiredService<ClusterMarketFeed>()));
        services.AddHostedService(sp => sp.GetRequiredService<ClusterMarketFeed>());
        return builder;
    }
}
