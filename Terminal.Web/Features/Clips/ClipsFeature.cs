using Terminal.Core.Clips;

namespace Terminal.Web.Features.Clips;

/// <summary>Clip desk: VOD and clip endpoints, progress pushes (over the market hub, <c>/hubs/market</c>).</summary>
public static class ClipsFeature
{
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
        return app;
    }
}
