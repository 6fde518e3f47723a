namespace Terminal.Web.Features.Admin;

/// <summary>The ADMIN console's API.</summary>
public static class AdminFeature
{
    public static IHostApplicationBuilder AddAdminFeature(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdminJobsService>();
        builder.Services.AddHostedService<AdminJobsBroadcaster>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAdminFeature(this IEndpointRouteBuilder app)
    {
        app.MapAdminEndpoints();
        return app;
    }
}
