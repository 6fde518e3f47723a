using Microsoft.Extensions.Options;
using Stripe;
using Plan = Terminal.Core.Accounts.Plan;
using Terminal.Core.Accounts;
using Terminal.Core.Billing;
using Terminal.Core.Credits;

namespace Terminal.Web.Features.Billing;

/// <summary>How a webhook delivery ended.</summary>
public enum WebhookOutcome
{
    Applied,
    AlreadyProcessed,
    Ignored,
}

/// <summary>
/// Verifies and applies Stripe webhook events, each exactly once: the event id is inserted into
/// <c>ProcessedStripeEvents</c> in the same transaction as its effects, so a replay (or a concurrent
/// duplicate delivery) hits the primary key and changes nothing.
/// </summary>
public sealed class StripeWebhookProcessor(
    IBillingStore store,
    IOptionsMonitor<StripeOptions> stripe,
    IOptionsMonitor<PlansOptions> plans,
    ApiKeyService keys,
    TimeProvider time,
    ILogger<StripeWebhookProcessor> logger)
{
    /// <summary>Signatures older than this are refused (Stripe's default tolerance).</summary>
    public const long ToleranceSeconds = 300;

    public async Task<WebhookOutcome> ProcessAsync(string payload, string? signatureHeader, CancellationToken cancellationToken = default)
    {
        var secret = stripe.CurrentValue.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw TerminalException.Conflict("billing_not_configured", "Stripe webhooks are not configured (Terminal:Stripe:WebhookSecret).");
        }

        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            throw TerminalException.BadRequest("invalid_signature", "The Stripe-Signature header is missing.");
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(payload, signatureHeader, secret, ToleranceSeconds, throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            logger.LogWarning("Refused a Stripe webhook: {Reason}", e.Message);
            throw TerminalException.BadRequest("invalid_signature", "The Stripe signature or event is not valid: " + e.Message);
        }
        catch (System.Text.Json.JsonException)
        {
            throw TerminalException.BadRequest("invalid_json", "The event is not valid JSON.");
        }
        catch (Newtonsoft.Json.JsonException)
        {
            throw TerminalException.BadRequest("invalid_json", "The event is not valid JSON.");
        }

        // The store claims the event id as the transaction's first write, inside the execution strategy, so a
        // replay or a concurrent duplicate delivery changes nothing (see IBillingStore.ApplyStripeEventOnceAsync).
        var outcome = await store.ApplyStripeEventOnceAsync(stripeEvent.Id, stripeEvent.Type, Now,
            (changes, ct) => ApplyAsync(changes, stripeEvent, ct), cancellationToken);
        if (outcome.AlreadyProcessed)
        {
            logger.LogInformation("Stripe event {EventId} ({Type}) was already processed", stripeEvent.Id, stripeEvent.Type);
            return WebhookOutcome.AlreadyProcessed;
        }

        logger.LogInformation("Stripe event {EventId} ({Type}) {Outcome}", stripeEvent.Id, stripeEvent.Type, outcome.UserId is not null ? "applied" : "ignored");
        if (outcome.UserId is not null)
        {
            await keys.ForgetUserAsync(outcome.UserId, cancellationToken); // the plan (and so the API rate limit) may have changed
            return WebhookOutcome.Applied;
        }

        return WebhookOutcome.Ignored;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Applies the event; returns the account it changed, or null when it names none or is not handled.</summary>
    private async Task<string?> ApplyAsync(IStripeEventChanges db, Event stripeEvent, CancellationToken ct) => stripeEvent.Data.Object switch
    {
        Stripe.Checkout.Session session when stripeEvent.Type is EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded
            => await CheckoutCompletedAsync(db, session, ct),
        Invoice invoice when stripeEvent.Type == EventTypes.InvoicePaid => await InvoicePaidAsync(db, invoice, ct),
        Invoice invoice when stripeEvent.Type == EventTypes.InvoicePaymentFailed => await InvoicePaymentFailedAsync(db, invoice, ct),
        Subscription subscription when stripeEvent.Type == EventTypes.CustomerSubscriptionUpdated => await SubscriptionUpdatedAsync(db, subscription, ct),
        Subscription subscription when stripeEvent.Type == EventTypes.CustomerSubscriptionDeleted => await SubscriptionDeletedAsync(db, subscription, ct),
        _ => null,
    };

    private async Task<string?> CheckoutCompletedAsync(IStripeEventChanges db, Stripe.Checkout.Session session, CancellationToken ct)
    {
        var user = session.ClientReferenceId is { Length: > 0 } id ? await db.FindAccountAsync(id, ct) : null;
        if (user is null)
        {
            logger.LogWarning("checkout.session.completed {SessionId} names no known user", session.Id);
            return null;
        }

        user.StripeCustomerId = session.CustomerId ?? user.StripeCustomerId;
        user.StripeSubscriptionId = session.SubscriptionId ?? user.StripeSubscriptionId;
        if (session.PaymentStatus is not ("paid" or "no_payment_required"))
        {
            // A delayed payment method (bank debit…): the plan waits for checkout.session.async_payment_succeeded.
            logger.LogInformation("Checkout {SessionId} completed with payment {PaymentStatus}; the plan waits for the payment", session.Id, session.PaymentStatus);
            return user.Id;
        }

        if (PlanFrom(session.Metadata) is { } plan)
        {
            user.Plan = plan;
        }

        var state = await db.SubscriptionAsync(user.Id, Now, ct);
        state.Status = "active";
        return user.Id;
    }

    private async Task<string?> InvoicePaidAsync(IStripeEventChanges db, Invoice invoice, CancellationToken ct)
    {
        var details = invoice.Parent?.SubscriptionDetails;
        var user = await FindUserAsync(db, invoice.CustomerId, details?.Metadata, ct);
        if (user is null)
        {
            logger.LogWarning("invoice.paid {InvoiceId} names no known customer", invoice.Id);
            return null;
        }

        // The billed price wins over the checkout-time metadata: a portal switch changes the price, not the metadata.
        var plan = PlanOfLines(invoice) ?? PlanFrom(details?.Metadata) ?? user.Plan;
        if (plan != Plan.Free)
        {
            user.Plan = plan;
        }

        user.StripeCustomerId ??= invoice.CustomerId;
        user.StripeSubscriptionId = details?.SubscriptionId ?? user.StripeSubscriptionId;
        var state = await db.SubscriptionAsync(user.Id, Now, ct);
        state.Status = "active";
        if (invoice.Lines?.Data?.FirstOrDefault()?.Period?.End is { } end && end > DateTime.UnixEpoch)
        {
            state.CurrentPeriodEnd = DateTime.SpecifyKind(end, DateTimeKind.Utc);
        }

        var credits = plans.CurrentValue.For(plan).MonthlyCredits;
        // The ledger's unique (user, reason, reference) index is a second guard besides the event table:
        // Stripe may send invoice.paid for one invoice under two event ids.
        if (credits > 0 && !await db.HasCreditAsync(user.Id, CreditReason.MonthlyGrant, invoice.Id, ct))
        {
            db.AddCredit(new CreditEntry { UserId = user.Id, Amount = credits, Reason = CreditReason.MonthlyGrant, Reference = invoice.Id, At = Now });
        }

        return user.Id;
    }

    private async Task<string?> InvoicePaymentFailedAsync(IStripeEventChanges db, Invoice invoice, CancellationToken ct)
    {
        var user = await FindUserAsync(db, invoice.CustomerId, invoice.Parent?.SubscriptionDetails?.Metadata, ct);
        if (user is null)
        {
            return null;
        }

        var state = await db.SubscriptionAsync(user.Id, Now, ct);
        state.Status = "past_due";
        return user.Id;
    }

    private async Task<string?> SubscriptionUpdatedAsync(IStripeEventChanges db, Subscription subscription, CancellationToken ct)
    {
        var user = await FindUserAsync(db, subscription.CustomerId, subscription.Metadata, ct);
        if (user is null)
        {
            return null;
        }

        var state = await db.SubscriptionAsync(user.Id, Now, ct);
        state.Status = subscription.Status ?? state.Status;
        state.CancelAtPeriodEnd = subscription.CancelAtPeriodEnd;
        var item = subscription.Items?.Data?.FirstOrDefault();
        if (item?.CurrentPeriodEnd is { } end && end > DateTime.UnixEpoch)
        {
            state.CurrentPeriodEnd = DateTime.SpecifyKind(end, DateTimeKind.Utc);
        }

        user.StripeCustomerId ??= subscription.CustomerId;
        user.StripeSubscriptionId = subscription.Id;
        switch (subscription.Status)
        {
            case "active" or "trialing" or "past_due":
                // The plan follows the subscribed price (the portal can switch Pro ↔ Enterprise).
                if ((stripe.CurrentValue.Prices.PlanOf(item?.Price?.Id) ?? PlanFrom(item?.Price?.Metadata) ?? PlanFrom(subscription.Metadata)) is { } plan)
                {
                    user.Plan = plan;
                }

                break;
            case "canceled" or "unpaid" or "incomplete_expired":
                user.Plan = Plan.Free;
                break;
        }

        return user.Id;
    }

    private async Task<string?> SubscriptionDeletedAsync(IStripeEventChanges db, Subscription subscription, CancellationToken ct)
    {
        var user = await FindUserAsync(db, subscription.CustomerId, subscription.Metadata, ct);
        if (user is null)
        {
            return null;
        }

        user.Plan = Plan.Free;
        user.StripeSubscriptionId = null;
        var state = await db.SubscriptionAsync(user.Id, Now, ct);
        state.Status = "canceled";
        state.CancelAtPeriodEnd = false;
        state.CurrentPeriodEnd = null;
        return user.Id;
    }

    private static async Task<IBillableAccount?> FindUserAsync(IStripeEventChanges db, string? customerId, IDictionary<string, string>? metadata, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(customerId) && await db.FindAccountByCustomerAsync(customerId, ct) is { } byCustomer)
        {
            return byCustomer;
        }

        // invoice.paid can arrive before checkout.session.completed: the subscription's metadata names the user.
        return metadata is not null && metadata.TryGetValue("userId", out var userId) && !string.IsNullOrEmpty(userId)
            ? await db.FindAccountAsync(userId, ct)
            : null;
    }

    private Plan? PlanOfLines(Invoice invoice)
    {
        var prices = stripe.CurrentValue.Prices;
        foreach (var line in invoice.Lines?.Data ?? [])
        {
            if (prices.PlanOf(line.Pricing?.PriceDetails?.PriceId) is { } plan)
            {
                return plan;
            }
        }

        return null;
    }

    private static Plan? PlanFrom(IDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue("plan", out var value) && Plans.TryParse(value, out var plan) ? plan : null;
}
