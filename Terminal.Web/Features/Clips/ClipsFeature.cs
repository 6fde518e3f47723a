using Microsoft.AspNetCore.Routing;
using Terminal.Core.Clips;
using Terminal.Web.Features.Market;

namespace Terminal.Web.Features.Clips;

/// <summary>Clip desk: VOD and clip endpoints, progress pushes.</summary>
public static class ClipsFeature
{
    public const string HubPath = "/hubs/market";

    public static IHostApplicationBuilder AddClipsFeature(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ClipLinkSigner>();
        services.AddSingleton<ClipDeskQueries>();
        services.AddSingleton<ClipProgressFeed>();
        // Replaces the Jobs layer's no-op notifier: progress goes to the owner over the hub and in-process.
        services.AddSingleton<IClipProgressNotifier>(sp => sp.GetRequiredService<ClipProgressFeed>());
        return builder;
    }

    public static IEndpointRouteBuilder MapClipsFeature(this IEndpointRouteBuilder app)
    {
        app.MapClipEndpoints();

        // REVIEW: the market feature owns /hubs/market; map it here only while it has not (see MarketHub).
        var mapped = app.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Any(e => string.Equals(e.RoutePattern.RawText?.TrimEnd('/'), HubPath, StringComparison.OrdinalIgnoreCase));
        if (!mapped)
        {
            app.MapHub<MarketHub>(HubPath);
        }

        return app;
    }
}
