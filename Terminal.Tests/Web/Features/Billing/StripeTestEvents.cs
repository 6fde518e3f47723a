using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Terminal.Tests.Web.Features.Billing;

/// <summary>
/// Builds Stripe webhook events in Stripe's wire format (the shapes of API version
/// <see cref="Stripe.StripeConfiguration.ApiVersion"/> (2026-10-28.endive)) and signs them as Stripe does:
/// <c>Stripe-Signature: t={unix},v1=hex(HMAC-SHA256(secret, "{t}.{payload}"))</c>.
/// </summary>
public static class StripeTestEvents
{
    public const string WebhookSecret = "whsec_test_clipterminal_0123456789";

    public static string Event(string type, JsonObject dataObject, string? id = null, string? apiVersion = null)
    {
        var evt = new JsonObject
        {
            ["id"] = id ?? "evt_" + Guid.NewGuid().ToString("N")[..24],
            ["object"] = "event",
            ["api_version"] = apiVersion ?? Stripe.StripeConfiguration.ApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["data"] = new JsonObject { ["object"] = dataObject },
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
        };
        return evt.ToJsonString();
    }

    public static string Sign(string payload, string secret = WebhookSecret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    public static JsonObject CheckoutSession(string userId, string plan, string customer, string subscription) => new()
    {
        ["id"] = "cs_test_" + Guid.NewGuid().ToString("N")[..20],
        ["object"] = "checkout.session",
        ["client_reference_id"] = userId,
        ["customer"] = customer,
        ["subscription"] = subscription,
        ["metadata"] = new JsonObject { ["plan"] = plan, ["userId"] = userId },
        ["mode"] = "subscription",
        ["status"] = "complete",
        ["payment_status"] = "paid",
        ["livemode"] = false,
    };

    public static JsonObject Invoice(string invoiceId, string customer, string subscription, string? plan = null, string? userId = null, DateTimeOffset? periodEnd = null)
    {
        var metadata = new JsonObject();
        if (plan is not null)
        {
            metadata["plan"] = plan;
        }

        if (userId is not null)
        {
            metadata["userId"] = userId;
        }

        var end = (periodEnd ?? DateTimeOffset.UtcNow.AddDays(30)).ToUnixTimeSeconds();
        return new JsonObject
        {
            ["id"] = invoiceId,
            ["object"] = "invoice",
            ["customer"] = customer,
            ["status"] = "paid",
            ["currency"] = "usd",
            ["amount_paid"] = 2900,
            ["livemode"] = false,
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["subscription_details"] = new JsonObject { ["subscription"] = subscription, ["metadata"] = metadata },
            },
            ["lines"] = new JsonObject
            {
                ["object"] = "list",
                ["has_more"] = false,
                ["url"] = $"/v1/invoices/{invoiceId}/lines",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = "il_" + invoiceId,
                    ["object"] = "line_item",
                    ["amount"] = 2900,
                    ["period"] = new JsonObject { ["start"] = end - (30 * 86400), ["end"] = end },
                }),
            },
        };
    }

    public static JsonObject Subscription(string subscriptionId, string customer, string status, string? plan = null, string? priceId = null, bool cancelAtPeriodEnd = false)
    {
        var metadata = new JsonObject();
        if (plan is not null)
        {
            metadata["plan"] = plan;
        }

        return new JsonObject
        {
            ["id"] = subscriptionId,
            ["object"] = "subscription",
            ["customer"] = customer,
            ["status"] = status,
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["has_more"] = false,
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = "si_" + subscriptionId,
                    ["object"] = "subscription_item",
                    ["current_period_end"] = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds(),
                    ["price"] = new JsonObject { ["id"] = priceId ?? "price_inline", ["object"] = "price", ["metadata"] = new JsonObject() },
                }),
            },
        };
    }

    /// <summary>A Checkout Session as Stripe's API answers POST /v1/checkout/sessions.</summary>
    public static string CheckoutSessionResponse(string id) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = id,
        ["object"] = "checkout.session",
        ["mode"] = "subscription",
        ["status"] = "open",
        ["payment_status"] = "unpaid",
        ["livemode"] = false,
        ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
        ["expires_at"] = DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds(),
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    });
}
