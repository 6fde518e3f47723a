using System.ComponentModel.DataAnnotations;
using Terminal.Core.Accounts;

namespace Terminal.Core.Billing;

/// <summary>One plan's limits and price (<c>Terminal:Plans:{Plan}</c>, SPEC §4).</summary>
public sealed class PlanLimits
{
    /// <summary>External API requests per user per minute (all of the user's keys together).</summary>
    [Range(1, 10_000_000)]
    public int ApiRequestsPerMinute { get; set; }

    /// <summary>Active external API keys a user on this plan may hold (SPEC §4: at least 3); 409 <c>too_many_keys</c> beyond.</summary>
    [Range(3, 10_000)]
    public int MaxApiKeys { get; set; } = 3;

    /// <summary>Credits granted for each paid month (each paid invoice).</summary>
    [Range(0, 10_000_000)]
    public int MonthlyCredits { get; set; }

    /// <summary>Alert rules a user on this plan may hold (SPEC §11); 409 <c>too_many_rules</c> beyond.</summary>
    [Range(1, 100_000)]
    public int MaxAlertRules { get; set; } = 10;

    /// <summary>Alert webhook endpoints a user on this plan may hold; 409 <c>too_many_webhooks</c> beyond.</summary>
    [Range(1, 1_000)]
    public int MaxWebhooks { get; set; } = 2;

    /// <summary>Monthly price in US dollars (used for inline Stripe price data and the plan list).</summary>
    [Range(0, 1_000_000)]
    public decimal PriceMonthly { get; set; }
}

/// <summary><c>Terminal:Plans</c>: Free (60/min, 0 credits, 3 keys), Pro (600, 500, 10), Enterprise (6,000, 5,000, 25).</summary>
public sealed class PlansOptions : IValidatableObject
{
    public const string Section = "Terminal:Plans";

    [Required]
    public PlanLimits Free { get; set; } = new() { ApiRequestsPerMinute = 60, MonthlyCredits = 0, PriceMonthly = 0, MaxApiKeys = 3, MaxAlertRules = 10, MaxWebhooks = 2 };

    [Required]
    public PlanLimits Pro { get; set; } = new() { ApiRequestsPerMinute = 600, MonthlyCredits = 500, PriceMonthly = 29, MaxApiKeys = 10, MaxAlertRules = 100, MaxWebhooks = 10 };

    [Required]
    public PlanLimits Enterprise { get; set; } = new() { ApiRequestsPerMinute = 6000, MonthlyCredits = 5000, PriceMonthly = 299, MaxApiKeys = 25, MaxAlertRules = 1000, MaxWebhooks = 50 };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var plan in Plans.All)
        {
            var limits = For(plan);
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(limits, new ValidationContext(limits), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"Terminal:Plans:{plan}: {result.ErrorMessage}", result.MemberNames.Select(m => $"{plan}.{m}"));
            }
        }
    }

    public PlanLimits For(Plan plan) => plan switch
    {
        Plan.Pro => Pro,
        Plan.Enterprise => Enterprise,
        _ => Free,
    };
}

/// <summary><c>Terminal:Stripe</c>. Without a secret key the product runs Free-only and admins change plans.</summary>
public sealed class StripeOptions : IValidatableObject
{
    public const string Section = "Terminal:Stripe";

    public string? SecretKey { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>API base address; empty for Stripe's own (tests point it at a local fake).</summary>
    public string? ApiBase { get; set; }

    public StripePrices Prices { get; set; } = new();

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SecretKey);

    public bool WebhooksConfigured => !string.IsNullOrWhiteSpace(WebhookSecret);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ApiBase) &&
            !(Uri.TryCreate(ApiBase, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return new ValidationResult("Terminal:Stripe:ApiBase must be an absolute http(s) address or empty.", [nameof(ApiBase)]);
        }
    }
}

/// <summary>Stripe price ids per paid plan; inline price data is sent when one is empty.</summary>
public sealed class StripePrices
{
    public string? Pro { get; set; }

    public string? Enterprise { get; set; }

    public string? For(Plan plan) => plan switch
    {
        Plan.Pro => Pro,
        Plan.Enterprise => Enterprise,
        _ => null,
    };

    /// <summary>The plan a configured price id stands for.</summary>
    public Plan? PlanOf(string? priceId)
    {
        if (string.IsNullOrEmpty(priceId))
        {
            return null;
        }

        if (string.Equals(priceId, Pro, StringComparison.Ordinal))
        {
            return Plan.Pro;
        }

        return string.Equals(priceId, Enterprise, StringComparison.Ordinal) ? Plan.Enterprise : null;
    }
}
