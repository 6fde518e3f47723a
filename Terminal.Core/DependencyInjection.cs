using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Terminal.Core.Market;

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
        services.AddOptions<TerminalOptions>().BindConfiguration(TerminalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddOptions<CreditOptions>().BindConfiguration(CreditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
