using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSingleton<ClipDesk>();
        services.AddSingleton<ClipProgressFeed>();
        // Replaces the Jobs layer's no-op notifier (whatever the order of AddTerminalJobs and this call):
        // progress goes to the owner over the hub and in-process.
        services.Replace(ServiceDescriptor.Singleton<IClipProgressNotifier>(sp => sp.GetRequiredService<ClipProgressFeed>()));
        return builder;
    }

    public static IEndpointRouteBuilder MapClipsFeature(this IEndpointRouteBuilder app)
    {
        app.MapClipEndpoints();
        return app;
    }
}
