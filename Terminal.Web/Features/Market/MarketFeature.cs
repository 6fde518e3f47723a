namespace Terminal.Web.Features.Market;

/// <summary>Market data in the web app: trend ticker, hub, analytics and creator endpoints.</summary>
public static class MarketFeature
{
    public static IHostApplicationBuilder AddMarketFeature(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapMarketFeature(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
