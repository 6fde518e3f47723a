using Terminal.Data.LinkedAccounts;

namespace Terminal.Web.Features.LinkedAccounts;

/// <summary>Linked accounts: credentials, OAuth linking, sync and CRM endpoints.</summary>
public static class LinkedAccountsFeature
{
    public static IHostApplicationBuilder AddLinkedAccountsFeature(this IHostApplicationBuilder builder)
    {
        // Jobs-side services (OAuth, connectors, sync, CrmQueries) are registered by AddLinkedAccountJobs.
        builder.Services.AddSingleton<IngestionQueries>();
        builder.Services.AddScoped<ILinkedAccountsUi, LinkedAccountsUi>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLinkedAccountsFeature(this IEndpointRouteBuilder app) =>
        app.MapLinkedAccountEndpoints();
}
