namespace Terminal.Web.Features.Clips;

/// <summary>Clip desk: VOD and clip endpoints, progress pushes.</summary>
public static class ClipsFeature
{
    public static IHostApplicationBuilder AddClipsFeature(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapClipsFeature(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
