using Microsoft.Extensions.Options;
using Stripe;
using Plan = Terminal.Core.Accounts.Plan;
using Terminal.Core;
using Terminal.Core.Accounts;
using Terminal.Core.Billing;
using Terminal.Core.Credits;

namespace Terminal.Web.Features.Billing;

/// <summary>One row of <c>GET /api/billing/plans</c>.</summary>
public sealed record PlanInfo(Plan Name, decimal PriceMonthly, int ApiRequestsPerMinute, int MonthlyCredits);

/// <summary>What the ACCT billing tab shows.</summary>
public sealed record BillingOverview(
    Plan Plan,
    string? SubscriptionStatus,
    DateTime? RenewsAt,
    bool CancelAtPeriodEnd,
    int Credits,
    IReadOnlyList<CreditEntry> Ledger,
    bool StripeConfigured,
    bool HasStripeCustomer);

/// <summary>
/// Plans, Stripe Checkout and Billing Portal, and the admin's plan change. Stripe is optional:
/// without <c>Terminal:Stripe:SecretKey</c> everyone is Free with starting credits and only an admin
/// changes plans (SPEC §6).
/// </summary>
public sealed class BillingService(
    IBillingStore store,
    IOptionsMonitor<PlansOptions> plans,
    IOptionsMonitor<StripeOptions> stripe,
    IPublicBaseUrl publicBase,
    ApiKeyService keys,
    TimeProvider time,
    ILogger<BillingService> logger)
{
    public IReadOnlyList<PlanInfo> GetPlans()
    {
        var options = plans.CurrentValue;
        return Plans.All.Select(p =>
        {
            var limits = options.For(p);
            return new PlanInfo(p, limits.PriceMonthly, limits.ApiRequestsPerMinute, limits.MonthlyCredits);
        }).ToList();
    }

    public bool StripeConfigured => stripe.CurrentValue.IsConfigured;

    public async Task<BillingOverview> GetOverviewAsync(string userId, int ledgerRows = 100, CancellationToken cancellationToken = default)
    {
        var snapshot = await store.GetSnapshotAsync(userId, ledgerRows, cancellationToken)
            ?? throw TerminalException.NotFound("user_not_found", "No such account.");
        var subscription = snapshot.Subscription;
        return new BillingOverview(snapshot.Plan, subscription?.Status, subscription?.CurrentPeriodEnd, subscription?.CancelAtPeriodEnd ?? false,
            snapshot.Credits, snapshot.Ledger, StripeConfigured, snapshot.HasStripeCustomer);
    }

    /// <summary>
    /// Starts a Stripe Checkout subscription for <paramref name="planName"/>. The session carries the
    /// user id as <c>client_reference_id</c> and the plan in <c>metadata[plan]</c> (also on the subscription).
    /// </summary>
    public async Task<string> CreateCheckoutAsync(string userId, string? planName, string returnBaseUrl, CancellationToken cancellationToken = default)
    {
        if (!Plans.TryParse(planName, out var plan))
        {
            throw TerminalException.BadRequest("invalid_plan", "Choose pro or enterprise.");
        }

        if (plan == Plan.Free)
        {
            throw TerminalException.BadRequest("invalid_plan", "The Free plan needs no checkout; cancel a paid plan in the billing portal.");
        }

        var options = RequireStripe();
        var user = await store.FindAccountAsync(userId, cancellationToken)
            ?? throw TerminalException.NotFound("user_not_found", "No such account.");
        if (user.Plan == plan)
        {
            throw TerminalException.Conflict("already_on_plan", $"You are already on {plan.Value.ToWire()}; manage it in the billing portal.");
        }

        if (user.Plan != Plan.Free && !string.IsNullOrEmpty(user.StripeSubscriptionId))
        {
            // A second Checkout would start a second subscription (double billing): switching happens in the portal.
            throw TerminalException.Conflict("subscription_exists", "You already have a subscription; switch plans in the billing portal.");
        }

        var wire = plan.Value.ToWire();
        var metadata = new Dictionary<string, string> { ["plan"] = wire, ["userId"] = userId };
        var lineItem = new Stripe.Checkout.SessionLineItemOptions { Quantity = 1 };
        var priceId = options.Prices.For(plan.Value);
        if (!string.IsNullOrWhiteSpace(priceId))
        {
            lineItem.Price = priceId;
        }
        else
        {
            lineItem.PriceData = new Stripe.Checkout.SessionLineItemPriceDataOptions
            {
                Currency = "usd",
                UnitAmountDecimal = plans.CurrentValue.For(plan.Value).PriceMonthly * 100m,
                Recurring = new Stripe.Checkout.SessionLineItemPriceDataRecurringOptions { Interval = "month" },
                ProductData = new Stripe.Checkout.SessionLineItemPriceDataProductDataOptions
                {
                    Name = $"Clip Terminal {plan.Value}",
                    Metadata = new Dictionary<string, string> { ["plan"] = wire },
                },
            };
        }

        var baseUrl = BaseUrl(returnBaseUrl);
        var create = new Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription",
            ClientReferenceId = userId,
            Metadata = metadata,
            SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions { Metadata = new Dictionary<string, string>(metadata) },
            LineItems = [lineItem],
            SuccessUrl = $"{baseUrl}/acct?billing=success",
            CancelUrl = $"{baseUrl}/acct?billing=cancelled",
        };
        if (!string.IsNullOrEmpty(user.StripeCustomerId))
        {
            create.Customer = user.StripeCustomerId;
        }
        else
        {
            create.CustomerEmail = user.Email;
        }

        var session = await CallStripeAsync(client => new Stripe.Checkout.SessionService(client).CreateAsync(create, cancellationToken: cancellationToken));
        logger.LogInformation("Checkout session {SessionId} created for user {UserId} and plan {Plan}", session.Id, userId, wire);
        return session.Url;
    }

    /// <summary>A Billing Portal session for the user's Stripe customer (409 before the first checkout).</summary>
    public async Task<string> CreatePortalAsync(string userId, string returnBaseUrl, CancellationToken cancellationToken = default)
    {
        RequireStripe();
        var customer = (await store.FindAccountAsync(userId, cancellationToken))?.StripeCustomerId;
        if (string.IsNullOrEmpty(customer))
        {
            throw TerminalException.Conflict("no_stripe_customer", "There is no subscription to manage yet; upgrade first.");
        }

        var options = new Stripe.BillingPortal.SessionCreateOptions { Customer = customer, ReturnUrl = $"{BaseUrl(returnBaseUrl)}/acct" };
        var session = await CallStripeAsync(client => new Stripe.BillingPortal.SessionService(client).CreateAsync(options, cancellationToken: cancellationToken));
        return session.Url;
    }

    /// <summary>
    /// An admin sets a user's plan (the only way without Stripe). Moving to a paid plan grants that
    /// plan's monthly credits once per user, plan and calendar month. The ledger records the change and
    /// <paramref name="actorEmail"/> (who made it).
    /// </summary>
    public async Task<(Plan Plan, int Credits)> SetPlanAsync(string userId, string? planName, string? actorEmail = null, CancellationToken cancellationToken = default)
    {
        if (!Plans.TryParse(planName, out var plan))
        {
            throw TerminalException.BadRequest("invalid_plan", "Plan must be free, pro or enterprise.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var grant = plans.CurrentValue.For(plan.Value).MonthlyCredits;
        var reference = $"admin-plan:{plan.Value.ToWire()}:{now:yyyy-MM}";
        var result = await store.SetPlanAsync(userId, plan.Value, grant, reference, now, actorEmail, cancellationToken)
            ?? throw TerminalException.NotFound("user_not_found", "No such account.");
        await keys.ForgetUserAsync(userId, cancellationToken); // the new plan's rate limit applies to the next request
        logger.LogInformation("Admin {Admin} set plan {Plan} for user {UserId}", actorEmail, plan.Value.ToWire(), userId);
        return result;
    }

    private StripeOptions RequireStripe()
    {
        var options = stripe.CurrentValue;
        if (!options.IsConfigured)
        {
            throw TerminalException.Conflict("billing_not_configured", "Online billing is not configured here; an admin can change your plan.");
        }

        return options;
    }

    private StripeClient CreateClient()
    {
        var options = stripe.CurrentValue;
        return new StripeClient(options.SecretKey, apiBase: string.IsNullOrWhiteSpace(options.ApiBase) ? null : options.ApiBase.TrimEnd('/'));
    }

    private async Task<T> CallStripeAsync<T>(Func<StripeClient, Task<T>> call)
    {
        try
        {
            return await call(CreateClient());
        }
        catch (StripeException e)
        {
            logger.LogWarning("Stripe refused a request: {StripeError} {StripeCode}", e.StripeError?.Type, e.StripeError?.Code);
            throw new TerminalException(ErrorKind.Conflict, "stripe_error", "The payment provider refused the request: " + (e.StripeError?.Message ?? e.Message));
        }
    }

    private string BaseUrl(string requestBaseUrl) => publicBase.Resolve(requestBaseUrl);
}
