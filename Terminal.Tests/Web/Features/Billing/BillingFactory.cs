using Terminal.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Terminal.Tests.Web.Features.Billing;

/// <summary>The app with Stripe configured against a local fake Stripe API (WireMock).</summary>
public sealed class BillingFactory : TerminalWebFactory
{
    public const string ProPriceId = "price_pro_test";

    public BillingFactory()
    {
        Stripe = WireMockServer.Start();
        Stripe.Given(Request.Create().WithPath("/v1/checkout/sessions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(StripeTestEvents.CheckoutSessionResponse("cs_test_fake_session_1")));
        Stripe.Given(Request.Create().WithPath("/v1/billing_portal/sessions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"id":"bps_test_1","object":"billing_portal.session","customer":"cus_x","livemode":false,"return_url":"http://localhost/acct","url":"https://billing.stripe.com/p/session/test_1"}"""));

        Settings["Terminal:Stripe:SecretKey"] = "sk_test_clipterminal";
        Settings["Terminal:Stripe:WebhookSecret"] = StripeTestEvents.WebhookSecret;
        Settings["Terminal:Stripe:ApiBase"] = Stripe.Url;
        Settings["Terminal:Stripe:Prices:Enterprise"] = "price_enterprise_test";
        Settings["Terminal:PublicBaseUrl"] = "https://terminal.test";
        // With a public base URL AllowedHosts is its host: the test clients speak to it.
        ClientBaseAddress = new Uri("http://terminal.test");
    }

    public WireMockServer Stripe { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Stripe.Stop();
            Stripe.Dispose();
        }
    }
}
