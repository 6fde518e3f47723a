using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Core;

public static class DependencyInjection
{
    /// <summary>Registers Core's pure services and the options every layer reads.</summary>
    public static IServiceCollection AddTerminalCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMarketFeed, InProcessMarketFeed>();
        services.TryAddSingleton<MarketStatus>();
        services.TryAddSingleton<IMarketStatus>(sp => sp.GetRequiredService<MarketStatus>());
        // One node produces the market; Terminal.Web replaces this with a lease election when nodes share Redis.
        services.TryAddSingleton<IMarketProducer, SingleNodeMarketProducer>();
        // Constructing these connects nothing: the host's market pipeline (Terminal.Web MarketPipeline)
        // connects feed → engine → ticker at start and disconnects them at stop.
        services.TryAddSingleton(sp => new TrendEngine(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITrendReader>(sp => sp.GetRequiredService<TrendEngine>());
        services.TryAddSingleton(sp => new TrendTicker(sp.GetRequiredService<ITrendReader>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITrendTicker>(sp => sp.GetRequiredService<TrendTicker>());
        services.AddOptions<TerminalOptions>().BindConfiguration(TerminalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CreditOptions>().BindConfiguration(CreditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
