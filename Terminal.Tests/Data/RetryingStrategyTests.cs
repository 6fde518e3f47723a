using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Credits;
using Terminal.Data;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Billing;
using Terminal.Tests.Web.Features.Clips;
using Terminal.Tests.Web.Features.Market;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Data;

/// <summary>
/// The app on SQLite with a retrying execution strategy (<c>Terminal:Database:SqliteRetryOnBusy</c>):
/// like SQL Server's <c>EnableRetryOnFailure</c>, it makes EF refuse a user transaction begun outside
/// <c>CreateExecutionStrategy().ExecuteAsync</c>, so these flows would answer 500 (or fault the feed)
/// if any of them began one that way.
/// </summary>
public sealed class RetryingStrategyFactory : DemoMarketFactory
{
    public RetryingStrategyFactory()
    {
        Settings["Terminal:Database:SqliteRetryOnBusy"] = "true";
        Settings["Terminal:Media:DemoPattern"] = "testsrc2";
        Settings["Terminal:Stripe:SecretKey"] = "sk_test_clipterminal";
        Settings["Terminal:Stripe:WebhookSecret"] = StripeTestEvents.WebhookSecret;
        Settings["Terminal:PublicBaseUrl"] = "https://terminal.test";
        // With a public base URL AllowedHosts is its host: the test clients speak to it.
        ClientBaseAddress = new Uri("http://terminal.test");
    }
}

public sealed class RetryingStrategyTests(RetryingStrategyFactory factory) : IClassFixture<RetryingStrategyFactory>
{
    [Fact]
    public async Task TheStrategy_RefusesAUserTransactionBegunOutsideIt()
    {
        // Guards the guard: if the setting stopped reaching the provider, the tests below would prove nothing.
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        db.Database.CreateExecutionStrategy().RetriesOnFailure.Should().BeTrue();

        var outside = async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.CreditLedger.CountAsync();
        };

        await outside.Should().ThrowAsync<InvalidOperationException>().WithMessage("*execution strategy*");
    }

    [Fact]
    public async Task ClipRequest_Cancel_AndRetry_ChargeAndRefund_UnderARetryingStrategy()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 150);

        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 0, endTime = 150, mode = "exact" });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;
        (await CreditsAsync(user)).Should().Be(17);

        var cancel = await user.Http.PostAsync($"/api/clips/{accepted.RequestId}/cancel", null);
        cancel.StatusCode.Should().Be(HttpStatusCode.OK, await cancel.Content.ReadAsStringAsync());
        (await CreditsAsync(user)).Should().Be(20);

        var retry = await user.Http.PostAsync($"/api/clips/{accepted.RequestId}/retry", null);
        retry.StatusCode.Should().Be(HttpStatusCode.OK, await retry.Content.ReadAsStringAsync());
        (await CreditsAsync(user)).Should().Be(17);

        // Stop the cut again so the fixture does not encode for minutes; the refund comes back once more.
        (await user.Http.PostAsync($"/api/clips/{accepted.RequestId}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await CreditsAsync(user)).Should().Be(20);
    }

    [Fact]
    public async Task ClipRequest_RunsToReady_UnderARetryingStrategy()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 12);

        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 1, endTime = 2, mode = "fast" });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;

        var final = await WaitForFinalAsync(user.Http, accepted.RequestId, TimeSpan.FromSeconds(90));
        final.Status.Should().Be("ready", final.Error);
    }

    [Fact]
    public async Task StripeInvoicePaid_GrantsCreditsOnce_UnderARetryingStrategy()
    {
        var user = await factory.CreateUserClientAsync();
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        await DeliverAsync(StripeTestEvents.Event("checkout.session.completed", StripeTestEvents.CheckoutSession(user.UserId, "pro", customer, "sub_" + customer)));
        var invoice = StripeTestEvents.Event("invoice.paid", StripeTestEvents.Invoice("in_" + customer, customer, "sub_" + customer, plan: "pro", userId: user.UserId));

        await DeliverAsync(invoice);
        await DeliverAsync(invoice);

        (await factory.Services.GetRequiredService<ICreditLedger>().GetBalanceAsync(user.UserId)).Should().Be(20 + 500);
    }

    [Fact]
    public async Task DemoMarket_BackfillsAndServesTrends_UnderARetryingStrategy()
    {
        var user = await factory.ReadyUserAsync();

        var trends = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/analytics/trends?type=creators&platform=all&period=24h&limit=5");

        trends.GetProperty("data").GetArrayLength().Should().Be(5);
    }

    private static async Task<int> CreditsAsync(AuthenticatedClient user) =>
        (await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Credits;

    private async Task DeliverAsync(string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeTestEvents.Sign(payload));
        using var response = await factory.CreateApiClient().SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
