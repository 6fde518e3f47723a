using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Accounts;
using Terminal.Core.Credits;
using Terminal.Data;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Billing;

public sealed class StripeBillingTests(BillingFactory factory) : IClassFixture<BillingFactory>
{
    private sealed record UrlDto(string Url);

    private sealed record PlanDto(string Name, decimal PriceMonthly, int ApiRequestsPerMinute, int MonthlyCredits);

    [Fact]
    public async Task Plans_ListsFreeProEnterprise_WithLimitsAndCredits()
    {
        var user = await factory.CreateUserClientAsync();
        var plans = await user.Http.GetFromJsonAsync<PlanDto[]>("/api/billing/plans");
        plans.Should().BeEquivalentTo(new[]
        {
            new PlanDto("free", 0, 60, 0),
            new PlanDto("pro", 29, 600, 500),
            new PlanDto("enterprise", 299, 6000, 5000),
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Checkout_CreatesSubscriptionSession_CarryingUserReferenceAndPlan()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/billing/checkout", new { plan = "PRO" });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        (await response.Content.ReadFromJsonAsync<UrlDto>())!.Url.Should().Be("https://checkout.stripe.com/c/pay/cs_test_fake_session_1");

        var form = LastStripeForm("/v1/checkout/sessions", user.UserId);
        form["mode"].Should().Be("subscription");
        form["client_reference_id"].Should().Be(user.UserId);
        form["metadata[plan]"].Should().Be("pro");
        form["subscription_data[metadata][plan]"].Should().Be("pro");
        form["customer_email"].Should().Be(user.Email);
        // No Pro price id configured: inline price data of $29/month.
        form["line_items[0][price_data][unit_amount_decimal]"].Should().Be("2900");
        form["line_items[0][price_data][recurring][interval]"].Should().Be("month");
        form["line_items[0][price_data][currency]"].Should().Be("usd");
        form["success_url"].Should().StartWith("https://terminal.test/acct");
    }

    [Fact]
    public async Task Checkout_ForPlanWithPriceId_UsesThePrice()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/billing/checkout", new { plan = "enterprise" });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var form = LastStripeForm("/v1/checkout/sessions", user.UserId);
        form["line_items[0][price]"].Should().Be("price_enterprise_test");
        form.Keys.Should().NotContain(k => k.Contains("price_data"));
    }

    [Theory]
    [InlineData("gold")]
    [InlineData("free")]
    [InlineData("")]
    public async Task Checkout_WithUnknownOrFreePlan_Returns400(string plan)
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/billing/checkout", new { plan });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_plan");
    }

    [Fact]
    public async Task Checkout_Anonymous_Returns401()
    {
        var response = await factory.CreateApiClient().PostAsJsonAsync("/api/billing/checkout", new { plan = "pro" });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Portal_BeforeAnyCheckout_Returns409()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsync("/api/billing/portal", null);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "no_stripe_customer");
    }

    [Fact]
    public async Task Webhook_WithBadSignature_Returns400_AndChangesNothing()
    {
        var user = await factory.CreateUserClientAsync();
        var payload = StripeTestEvents.Event("checkout.session.completed", StripeTestEvents.CheckoutSession(user.UserId, "pro", "cus_bad", "sub_bad"));

        var wrongSecret = await PostWebhookAsync(payload, StripeTestEvents.Sign(payload, "whsec_someone_else"));
        await wrongSecret.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_signature");
        var tampered = await PostWebhookAsync(payload.Replace("\"pro\"", "\"enterprise\""), StripeTestEvents.Sign(payload));
        await tampered.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_signature");
        var stale = await PostWebhookAsync(payload, StripeTestEvents.Sign(payload, at: DateTimeOffset.UtcNow.AddMinutes(-10)));
        await stale.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_signature");
        var missing = await PostWebhookAsync(payload, signature: null);
        await missing.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_signature");

        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Free);
    }

    [Fact]
    public async Task Webhook_FromAnotherApiVersion_IsParsedLeniently()
    {
        var user = await factory.CreateUserClientAsync();
        var payload = StripeTestEvents.Event("checkout.session.completed", StripeTestEvents.CheckoutSession(user.UserId, "pro", "cus_v", "sub_v"), apiVersion: "2020-08-27");
        var response = await PostWebhookAsync(payload, StripeTestEvents.Sign(payload));
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Pro);
    }

    [Fact]
    public async Task CheckoutCompleted_WithUnpaidPayment_WaitsForAsyncPaymentSucceeded()
    {
        var user = await factory.CreateUserClientAsync();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        var session = StripeTestEvents.CheckoutSession(user.UserId, "pro", customer, "sub_" + customer);
        session["payment_status"] = "unpaid";
        await DeliverAsync("checkout.session.completed", session);
        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Free, "the bank debit has not cleared");

        var paid = StripeTestEvents.CheckoutSession(user.UserId, "pro", customer, "sub_" + customer);
        await DeliverAsync("checkout.session.async_payment_succeeded", paid);
        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Pro);
    }

    [Fact]
    public async Task CheckoutCompleted_SetsPlanAndCustomer_AndPortalOpens()
    {
        var user = await factory.CreateUserClientAsync();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        await DeliverAsync("checkout.session.completed", StripeTestEvents.CheckoutSession(user.UserId, "pro", customer, "sub_1_" + customer));

        var me = await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user");
        me!.Plan.Should().Be("pro");
        await using (var db = await DbAsync())
        {
            var stored = await db.Users.SingleAsync(u => u.Id == user.UserId);
            stored.StripeCustomerId.Should().Be(customer);
            stored.StripeSubscriptionId.Should().Be("sub_1_" + customer);
        }

        var portal = await user.Http.PostAsync("/api/billing/portal", null);
        portal.StatusCode.Should().Be(HttpStatusCode.OK);
        (await portal.Content.ReadFromJsonAsync<UrlDto>())!.Url.Should().Be("https://billing.stripe.com/p/session/test_1");
        LastStripeForm("/v1/billing_portal/sessions", customer)["customer"].Should().Be(customer);
    }

    [Fact]
    public async Task Checkout_WhileSubscribed_Returns409_SwitchInPortal()
    {
        var user = await factory.CreateUserClientAsync();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        await DeliverAsync("checkout.session.completed", StripeTestEvents.CheckoutSession(user.UserId, "pro", customer, "sub_" + customer));

        var response = await user.Http.PostAsJsonAsync("/api/billing/checkout", new { plan = "enterprise" });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "subscription_exists");
    }

    [Fact]
    public async Task InvoicePaid_BilledAtEnterprisePrice_GrantsEnterpriseCredits_EvenIfCheckoutSaidPro()
    {
        var user = await factory.CreateUserClientAsync();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        await DeliverAsync("checkout.session.completed", StripeTestEvents.CheckoutSession(user.UserId, "pro", customer, "sub_" + customer));
        var invoice = StripeTestEvents.Invoice("in_" + customer, customer, "sub_" + customer, plan: "pro");
        invoice["lines"]!["data"]![0]!["pricing"] = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "price_details",
            ["price_details"] = new System.Text.Json.Nodes.JsonObject { ["price"] = "price_enterprise_test", ["product"] = "prod_ent" },
        };

        await DeliverAsync("invoice.paid", invoice);

        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Enterprise);
        (await BalanceAsync(user.UserId)).Should().Be(20 + 5000);
    }

    [Fact]
    public async Task InvoicePaid_ReplayedSequentiallyAndConcurrently_GrantsMonthlyCreditsOnce()
    {
        var user = await factory.CreateUserClientAsync();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        await DeliverAsync("checkout.session.completed", StripeTestEvents.CheckoutSession(user.UserId, "pro", customer, "sub_" + customer));
        var invoice = StripeTestEvents.Invoice("in_" + Guid.NewGuid().ToString("N")[..14], customer, "sub_" + customer, plan: "pro", userId: user.UserId);
        var payload = StripeTestEvents.Event("invoice.paid", invoice);

        var first = await PostWebhookAsync(payload, StripeTestEvents.Sign(payload));
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        (await first.Content.ReadAsStringAsync()).Should().Contain("\"applied\"");
        var again = await PostWebhookAsync(payload, StripeTestEvents.Sign(payload));
        (await again.Content.ReadAsStringAsync()).Should().Contain("\"already_processed\"");
        var storm = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostWebhookAsync(payload, StripeTestEvents.Sign(payload))));
        storm.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);

        (await BalanceAsync(user.UserId)).Should().Be(20 + 500);
        (await EntriesAsync(user.UserId)).Where(e => e.Reason == CreditReason.MonthlyGrant).Should().ContainSingle()
            .Which.Reference.Should().Be(invoice["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvoicePaid_ForSameInvoiceUnderNewEventId_GrantsOnce_NextInvoiceGrantsAgain()
    {
        var user = await factory.CreateUserClientAsync();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        await DeliverAsync("checkout.session.completed", StripeTestEvents.CheckoutSession(user.UserId, "pro", customer, "sub_" + customer));
        var invoiceId = "in_" + Guid.NewGuid().ToString("N")[..14];

        await DeliverAsync("invoice.paid", StripeTestEvents.Invoice(invoiceId, customer, "sub_" + customer, plan: "pro"));
        await DeliverAsync("invoice.paid", StripeTestEvents.Invoice(invoiceId, customer, "sub_" + customer, plan: "pro"));
        (await BalanceAsync(user.UserId)).Should().Be(520);

        await DeliverAsync("invoice.paid", StripeTestEvents.Invoice(invoiceId + "_next", customer, "sub_" + customer, plan: "pro"));
        (await BalanceAsync(user.UserId)).Should().Be(1020);
        var entries = await EntriesAsync(user.UserId);
        entries.Sum(e => e.Amount).Should().Be(1020, "the balance is the sum of the ledger");
        entries.Select(e => e.Reason).Should().BeEquivalentTo([CreditReason.StartingGrant, CreditReason.MonthlyGrant, CreditReason.MonthlyGrant]);
    }

    [Fact]
    public async Task InvoicePaid_BeforeCheckoutCompleted_FindsUserFromSubscriptionMetadata()
    {
        var user = await factory.CreateUserClientAsync();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        await DeliverAsync("invoice.paid", StripeTestEvents.Invoice("in_" + customer, customer, "sub_" + customer, plan: "enterprise", userId: user.UserId));

        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Enterprise);
        (await BalanceAsync(user.UserId)).Should().Be(20 + 5000);
    }

    [Fact]
    public async Task PlanTransitions_PaymentFailed_Updated_Deleted()
    {
        var user = await factory.CreateUserClientAsync();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        var subscription = "sub_" + customer;
        await DeliverAsync("checkout.session.completed", StripeTestEvents.CheckoutSession(user.UserId, "pro", customer, subscription));
        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Pro);

        await DeliverAsync("invoice.payment_failed", StripeTestEvents.Invoice("in_f_" + customer, customer, subscription));
        (await StatusOfAsync(user.UserId)).Should().Be("past_due");
        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Pro, "a failed payment marks the subscription past due; Stripe's retries decide the rest");

        // The customer switches to Enterprise in the portal: the subscription now bills the Enterprise price.
        await DeliverAsync("customer.subscription.updated", StripeTestEvents.Subscription(subscription, customer, "active", priceId: "price_enterprise_test"));
        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Enterprise);
        (await StatusOfAsync(user.UserId)).Should().Be("active");

        await DeliverAsync("customer.subscription.deleted", StripeTestEvents.Subscription(subscription, customer, "canceled"));
        (await PlanOfAsync(user.UserId)).Should().Be(Plan.Free);
        (await StatusOfAsync(user.UserId)).Should().Be("canceled");
        (await BalanceAsync(user.UserId)).Should().Be(20, "plan changes alone grant nothing; only paid invoices do");
    }

    [Fact]
    public async Task UnhandledEventType_IsAcknowledged()
    {
        var response = await DeliverAsync("customer.created", new System.Text.Json.Nodes.JsonObject { ["id"] = "cus_new", ["object"] = "customer" });
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"ignored\"");
    }

    private async Task<HttpResponseMessage> DeliverAsync(string type, System.Text.Json.Nodes.JsonObject data)
    {
        var payload = StripeTestEvents.Event(type, data);
        var response = await PostWebhookAsync(payload, StripeTestEvents.Sign(payload));
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response;
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string payload, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await factory.CreateApiClient().SendAsync(request);
    }

    /// <summary>The form Stripe.net posted to the fake for this user (matched by a value it must contain).</summary>
    private Dictionary<string, string> LastStripeForm(string path, string mustContain)
    {
        var entry = factory.Stripe.LogEntries
            .Where(e => e.RequestMessage.Path == path && (e.RequestMessage.Body ?? "").Contains(Uri.EscapeDataString(mustContain), StringComparison.Ordinal))
            .Should().ContainSingle().Subject;
        entry.RequestMessage.Headers!["Authorization"].Should().ContainSingle().Which.Should().Be("Bearer sk_test_clipterminal");
        return entry.RequestMessage.Body!.Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
    }

    private async Task<TerminalDbContext> DbAsync() =>
        await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();

    private async Task<Plan> PlanOfAsync(string userId)
    {
        await using var db = await DbAsync();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.Plan).SingleAsync();
    }

    private async Task<string?> StatusOfAsync(string userId)
    {
        await using var db = await DbAsync();
        return await db.BillingSubscriptions.Where(s => s.UserId == userId).Select(s => s.Status).SingleOrDefaultAsync();
    }

    private async Task<int> BalanceAsync(string userId) =>
        await factory.Services.GetRequiredService<ICreditLedger>().GetBalanceAsync(userId);

    private async Task<IReadOnlyList<CreditEntry>> EntriesAsync(string userId) =>
        await factory.Services.GetRequiredService<ICreditLedger>().GetEntriesAsync(userId, 100);
}

public sealed class BillingWithoutStripeTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task Checkout_WithoutStripe_Returns409NotConfigured()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/billing/checkout", new { plan = "pro" });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "billing_not_configured");
    }

    [Fact]
    public async Task Webhook_WithoutStripe_Returns409NotConfigured()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        var response = await factory.CreateApiClient().PostAsync("/api/billing/webhook", content);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "billing_not_configured");
    }

    [Fact]
    public async Task NewAccount_IsFree_WithStartingCredits()
    {
        var user = await factory.CreateUserClientAsync();
        var me = await user.Http.GetFromJsonAsync<JsonElement>("/api/auth/user");
        me.GetProperty("plan").GetString().Should().Be("free");
        me.GetProperty("credits").GetInt32().Should().Be(20);
    }
}
