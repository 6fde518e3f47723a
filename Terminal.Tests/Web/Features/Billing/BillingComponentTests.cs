using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Terminal.Data;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Billing;

namespace Terminal.Tests.Web.Features.Billing;

/// <summary>The ACCT billing and API-key tabs over the real services of an in-process app.</summary>
public abstract class BillingComponentTestBase : BunitTestBase
{
    protected async Task<AuthenticatedClient> SignInAsync(TerminalWebFactory factory)
    {
        var user = await factory.CreateUserClientAsync();
        foreach (var type in new[] { typeof(BillingService), typeof(ApiKeyService), typeof(TimeProvider), typeof(IDbContextFactory<TerminalDbContext>), typeof(Terminal.Web.Features.Clips.ClipDesk) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        return user;
    }
}

public sealed class BillingPanelWithoutStripeTests(TerminalWebFactory factory) : BillingComponentTestBase, IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task ShowsFreePlan_StartingCredits_Ledger_AndNoUpgradeWithoutStripe()
    {
        await SignInAsync(factory);
        var panel = Render<BillingPanel>();

        panel.WaitForAssertion(() => panel.Find("[data-field=plan]").TextContent.Should().Be("FREE"));
        panel.Find("[data-field=credits]").TextContent.Should().Be("20");
        panel.Find("[data-table=ledger]").TextContent.Should().Contain("Starting credits").And.Contain("+20");
        panel.Markup.Should().Contain("Online payment is not set up");
        panel.FindAll("[data-action=upgrade]").Should().BeEmpty();
        panel.FindAll("[data-plan]").Select(r => r.GetAttribute("data-plan")).Should().Equal("free", "pro", "enterprise");
    }
}

public sealed class BillingPanelWithStripeTests(BillingFactory factory) : BillingComponentTestBase, IClassFixture<BillingFactory>
{
    [Fact]
    public async Task Upgrade_GoesToStripeCheckout()
    {
        await SignInAsync(factory);
        var panel = Render<BillingPanel>();
        panel.WaitForElements("[data-action=upgrade]").Should().HaveCount(2, "pro and enterprise");

        await panel.Find("[data-plan=pro] [data-action=upgrade]").ClickAsync(new());

        panel.WaitForAssertion(() => Services.GetRequiredService<NavigationManager>().Uri.Should().Be("https://checkout.stripe.com/c/pay/cs_test_fake_session_1"));
    }
}

public sealed class ApiKeysPanelTests(TerminalWebFactory factory) : BillingComponentTestBase, IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task Create_ShowsKeyOnceInDialog_ThenListsPrefix_AndRevokeEmptiesTheList()
    {
        await SignInAsync(factory);
        var dialogs = Render<MudDialogProvider>();
        var panel = Render<ApiKeysPanel>();
        panel.WaitForElement("[data-empty=keys]");

        await Input(panel.Find("[data-field=key-name]")).InputAsync(new ChangeEventArgs { Value = "ci bot" });
        await panel.Find("[data-action=create-key]").ClickAsync(new());

        var keyField = Input(dialogs.WaitForElement("[data-field=new-key]"));
        var key = keyField.GetAttribute("value")!;
        key.Should().StartWith("ct_");
        panel.WaitForAssertion(() => panel.Find("[data-table=keys]").TextContent.Should().Contain("ci bot").And.Contain(key[..11] + "…").And.NotContain(key));

        await dialogs.Find("[data-action=close-key]").ClickAsync(new());
        dialogs.WaitForAssertion(() => dialogs.Markup.Should().NotContain(key));

        await panel.Find("[data-action=revoke]").ClickAsync(new());
        await panel.Find("[data-action=confirm-revoke]").ClickAsync(new());
        panel.WaitForElement("[data-empty=keys]");
    }

    /// <summary>MudTextField puts extra attributes on its input or on its wrapper depending on version.</summary>
    private static AngleSharp.Dom.IElement Input(AngleSharp.Dom.IElement element) =>
        element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
}
