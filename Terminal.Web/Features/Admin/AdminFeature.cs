namespace Terminal.Web.Features.Admin;

/// <summary>The ADMIN console's API.</summary>
public static class AdminFeature
{
    public static IHostApplicationBuilder AddAdminFeature(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapAdminFeature(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
