using System.Security.Claims;

namespace Terminal.Web.Features.Billing;

public sealed record CheckoutRequest(string? Plan);

public sealed record RedirectUrl(string Url);

public sealed record WebhookReceipt(bool Received, WebhookOutcome Outcome);

/// <summary><c>/api/billing</c>: plans, Stripe Checkout and Billing Portal, and Stripe's webhook (SPEC §4).</summary>
public static class BillingEndpoints
{
    public static IEndpointRouteBuilder MapBillingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/billing").WithTags("Billing");
        group.MapGet("/plans", GetPlans)
            .WithSummary("The plans with monthly price (USD), external API requests per minute and monthly credits.");
        group.MapPost("/checkout", Checkout)
            .WithSummary("Start a Stripe Checkout subscription for pro or enterprise; returns the Checkout URL.")
            .WithDescription("400 for an unknown plan or free; 409 when Stripe is not configured or the user is already on the plan.");
        group.MapPost("/portal", Portal)
            .WithSummary("Open the Stripe Billing Portal for the caller's subscription; returns its URL.")
            .WithDescription("409 when Stripe is not configured or the caller has no Stripe customer yet.");
        group.MapPost("/webhook", Webhook)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithSummary("Stripe webhook: signature verified, each event applied once.")
            .WithDescription("Handles checkout.session.completed, invoice.paid, invoice.payment_failed, customer.subscription.updated " +
                "and customer.subscription.deleted. A bad or missing Stripe-Signature gets 400.");
        return app;
    }

    private static Ok<IReadOnlyList<PlanInfo>> GetPlans(BillingService billing) => TypedResults.Ok(billing.GetPlans());

    private static async Task<Ok<RedirectUrl>> Checkout(
        CheckoutRequest request, ClaimsPrincipal principal, IPublicBaseUrl publicBase, BillingService billing, CancellationToken cancellationToken)
    {
        var url = await billing.CreateCheckoutAsync(UserId(principal), request.Plan, publicBase.Resolve(), cancellationToken);
        return TypedResults.Ok(new RedirectUrl(url));
    }

    private static async Task<Ok<RedirectUrl>> Portal(ClaimsPrincipal principal, IPublicBaseUrl publicBase, BillingService billing, CancellationToken cancellationToken)
    {
        var url = await billing.CreatePortalAsync(UserId(principal), publicBase.Resolve(), cancellationToken);
        return TypedResults.Ok(new RedirectUrl(url));
    }

    private static async Task<Ok<WebhookReceipt>> Webhook(HttpRequest http, StripeWebhookProcessor processor, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(http.Body);
        var payload = await reader.ReadToEndAsync(cancellationToken);
        var outcome = await processor.ProcessAsync(payload, http.Headers["Stripe-Signature"], cancellationToken);
        return TypedResults.Ok(new WebhookReceipt(true, outcome));
    }

    internal static string UserId(ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new TerminalException(ErrorKind.Unauthorized, "unauthorized", "Sign in first.");
}
