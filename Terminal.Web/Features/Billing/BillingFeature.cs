namespace Terminal.Web.Features.Billing;

/// <summary>Plans, Stripe billing, API keys and the external API.</summary>
public static class BillingFeature
{
    public static IHostApplicationBuilder AddBillingFeature(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapBillingFeature(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
