using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.OpenApi;
using Terminal.Core.Billing;
using Terminal.Web.Features.Api;
using Terminal.Web.Features.Cluster;

namespace Terminal.Web.Features.Billing;

/// <summary>Plans, Stripe billing, API keys and the external API.</summary>
public static class BillingFeature
{
    public static IHostApplicationBuilder AddBillingFeature(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PlansOptions>().BindConfiguration(PlansOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BillingService>();
        services.AddSingleton<StripeWebhookProcessor>();
        services.AddMemoryCache();
        services.AddSingleton<ClusterRedis>();
        services.AddSingleton<ApiKeyRecognitionCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyRecognitionCache>());
        services.AddSingleton<ApiKeyService>();

        // The external API's own scheme: only /ext-api asks for it (through its policy).
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyDefaults.Policy, p => p
            .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyDefaults.KeyIdClaim));
        services.AddExternalApiRateLimiting();
        services.Configure<OpenApiOptions>("v1", o => o.AddDocumentTransformer<OpenApiApiKeyTransformer>());
        return builder;
    }

    public static IEndpointRouteBuilder MapBillingFeature(this IEndpointRouteBuilder app)
    {
        // The external API's per-user budget (services.AddExternalApiRateLimiting above) is an endpoint
        // filter of its route group, so it runs after authentication and authorization.
        app.MapBillingEndpoints();
        app.MapApiKeyEndpoints();
        app.MapExternalApi();
        return app;
    }
}
