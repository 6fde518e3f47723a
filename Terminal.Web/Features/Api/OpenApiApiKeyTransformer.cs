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
            "(X-Api-Key header, rate-limited per user by plan, X-RateLimit-* headers on every answer). Errors are {\"error\":{\"code\",\"message\"}}.";
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
                DocumentRateLimitHeaders(operation);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The <c>X-RateLimit-*</c> headers on every documented answer, and <c>Retry-After</c> on 429.</summary>
    private static void DocumentRateLimitHeaders(OpenApiOperation operation)
    {
        if (operation.Responses is null)
        {
            return;
        }

        foreach (var (code, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete || code == "401")
            {
                continue;
            }

            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[ExternalApiRateLimiting.LimitHeader] = IntegerHeader("Requests per minute of the caller's plan (shared by all of the user's keys).");
            concrete.Headers[ExternalApiRateLimiting.RemainingHeader] = IntegerHeader("Requests left in the current one-minute window.");
            concrete.Headers[ExternalApiRateLimiting.ResetHeader] = IntegerHeader("When the current window ends, in Unix seconds (UTC).");
            if (code == "429")
            {
                concrete.Headers["Retry-After"] = IntegerHeader("Seconds to wait before the next request.");
            }
        }
    }

    private static OpenApiHeader IntegerHeader(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } };
}
