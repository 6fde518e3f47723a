using System.Security.Claims;

namespace Terminal.Web.Features.Billing;

public sealed record CreateApiKeyRequest(string? Name);

/// <summary><c>/api/keys</c>: the caller's external API keys (SPEC §4).</summary>
public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/keys").WithTags("API keys");
        group.MapPost("/", Create)
            .WithSummary("Create an API key. The key is in this response only; it is stored as a SHA-256 hash.");
        group.MapGet("/", List)
            .WithSummary("The caller's API keys by name and visible prefix, with creation and last use.");
        group.MapDelete("/{id:guid}", Revoke)
            .WithSummary("Revoke one of the caller's API keys (404 for unknown keys and other users' keys).");
        return app;
    }

    private static async Task<Created<CreatedApiKey>> Create(CreateApiKeyRequest request, ClaimsPrincipal principal, ApiKeyService keys, CancellationToken cancellationToken)
    {
        var created = await keys.CreateAsync(BillingEndpoints.UserId(principal), request.Name, cancellationToken);
        return TypedResults.Created($"/api/keys/{created.Id}", created);
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> List(ClaimsPrincipal principal, ApiKeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(BillingEndpoints.UserId(principal), cancellationToken));

    private static async Task<NoContent> Revoke(Guid id, ClaimsPrincipal principal, ApiKeyService keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(BillingEndpoints.UserId(principal), id, cancellationToken)
            ? TypedResults.NoContent()
            : throw TerminalException.NotFound("api_key_not_found", "No such API key.");
}
