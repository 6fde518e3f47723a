namespace Terminal.Web.Features.LinkedAccounts;

/// <summary>Linked accounts: credentials, OAuth linking, sync and CRM endpoints.</summary>
public static class LinkedAccountsFeature
{
    public static IHostApplicationBuilder AddLinkedAccountsFeature(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapLinkedAccountsFeature(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
