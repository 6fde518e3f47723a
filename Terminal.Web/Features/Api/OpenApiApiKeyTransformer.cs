using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Terminal.Web.Features.Api;

/// <summary>
/// Declares the <c>X-Api-Key</c> security scheme in the OpenAPI document and requires it on every
/// <c>/ext-api</c> operation, so the reference page offers a key field.
/// </summary>
internal sealed class OpenApiApiKeyTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Clip Terminal API";
        document.Info.Description = "Session API (cookie or bearer token from /api/auth/login) and the external API under /ext-api " +
            "(X-Api-Key header, rate-limited per key by plan). Errors are {\"error\":{\"code\",\"message\"}}.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyDefaults.Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyDefaults.Header,
            Description = "An API key from ACCT → API keys (shown once at creation).",
        };

        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDefaults.Scheme, document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/ext-api", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
