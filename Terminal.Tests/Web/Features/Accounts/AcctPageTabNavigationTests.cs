using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Accounts;
using Terminal.Web.Features.Billing;
using Terminal.Web.Features.LinkedAccounts;

namespace Terminal.Tests.Web.Features.Accounts;

/// <summary>
/// ACCT's tabs change the address only on a user's pick: MudTabs also reports index changes while its panels are
/// disposed (leaving the page) — navigating then threw NavigationException during the circuit's teardown.
/// </summary>
public sealed class AcctPageTabNavigationTests : BunitTestBase
{
    public AcctPageTabNavigationTests()
    {
        ComponentFactories.AddStub<ProfilePanel>();
        ComponentFactories.AddStub<BillingPanel>();
        ComponentFactories.AddStub<CredentialsPanel>();
        ComponentFactories.AddStub<ApiKeysPanel>();
    }

    private NavigationManager Nav => Services.GetRequiredService<NavigationManager>();

    private static int History(NavigationManager nav) => ((BunitNavigationManager)nav).History.Count;

    [Fact]
    public async Task LeavingThePage_DisposesTheTabs_WithoutNavigating()
    {
        Nav.NavigateTo("/acct/platforms");
        var start = History(Nav);
        Render<AcctPage>(p => p.Add(c => c.Tab, "platforms"));

        await DisposeComponentsAsync();

        History(Nav).Should().Be(start);
        Nav.Uri.Should().EndWith("/acct/platforms");
    }

    [Fact]
    public void PickingATab_ChangesTheAddress()
    {
        var cut = Render<AcctPage>(p => p.Add(c => c.Tab, "profile"));

        cut.FindAll(".mud-tab")[3].Click();

        Nav.Uri.Should().EndWith("/acct/keys");
    }
}
