namespace Terminal.Web.Features.LinkedAccounts;

/// <summary>Linked accounts: credentials, OAuth linking, sync and CRM endpoints.</summary>
public static class LinkedAccountsFeature
{
    public static IHostApplicationBuilder AddLinkedAccountsFeature(this IHostApplicationBuilder builder)
    {
        // Jobs-side services (OAuth, connectors, sync) are registered by AddLinkedAccountJobs; the stores and
        // queries (IIngestionQueries, ICrmQueries) by AddTerminalData.
        builder.Services.AddScoped<ILinkedAccountsUi, LinkedAccountsUi>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLinkedAccountsFeature(this IEndpointRouteBuilder app) =>
        app.MapLinkedAccountEndpoints();
}
