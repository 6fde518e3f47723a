using Microsoft.Extensions.DependencyInjection.Extensions;
using Terminal.Core.Market;
using Terminal.Web.Features.MarketSources;

namespace Terminal.Web.Features.Market;

/// <summary>Market data in the web app: trend ticker, hub, analytics and creator endpoints.</summary>
public static class MarketFeature
{
    public static IHostApplicationBuilder AddMarketFeature(this IHostApplicationBuilder builder)
    {
        // TrendEngine / ITrendReader / ITrendTicker come from AddTerminalCore; IMarketStore and IMarketQueries
        // from AddTerminalData; the demo feed and the start-up load of the engine from AddTerminalJobs.
        builder.Services.TryAddSingleton<MarketHubBroadcaster>();
        return builder;
    }

    public static IEndpointRouteBuilder MapMarketFeature(this IEndpointRouteBuilder app)
    {
        app.MapMarketEndpoints();
        app.MapMarketSourceEndpoints();
        app.MapMarketContributionEndpoints();
        app.MapHub<MarketHub>(MarketHub.Path);
        return app;
    }
}
