using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Terminal.Core.Accounts;
using Terminal.Core.Credits;
using Terminal.Data;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Admin;
using Terminal.Web.Features.Billing;

namespace Terminal.Tests.Web.Features.Admin;

public sealed class AdminUsersPanelTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task ListsUsersWithPlanAndCredits_AndChangingThePlanSavesIt()
    {
        var user = await factory.CreateUserClientAsync();
        foreach (var type in new[] { typeof(IDbContextFactory<TerminalDbContext>), typeof(BillingService), typeof(Terminal.Core.Accounts.IAccountDirectory) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<IAdminRoles>());
        AddAuthorization().SetAuthorized("admin@test.local").SetRoles(Roles.Admin)
            .SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "the-admin"));

        Render<MudPopoverProvider>();
        var panel = Render<AdminUsersPanel>();
        panel.WaitForAssertion(() => panel.Find("[data-table=users]").TextContent.Should().Contain(user.Email));

        await panel.InvokeAsync(() => panel.FindComponents<MudSelect<Plan>>()
            .Select(c => c.Instance)
            .First(i => RowEmailOf(panel, i) == user.Email)
            .ValueChanged.InvokeAsync(Plan.Enterprise));

        var ledger = factory.Services.GetRequiredService<ICreditLedger>();
        (await ledger.GetBalanceAsync(user.UserId)).Should().Be(20 + 5000);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        (await db.Users.SingleAsync(u => u.Id == user.UserId)).Plan.Should().Be(Plan.Enterprise);
        panel.WaitForAssertion(() => panel.Find("[data-table=users]").TextContent.Should().Contain("5,020"));
    }

    [Fact]
    public async Task GrantAdmin_FromTheUsersTable_MakesTheUserAnAdmin_AndOwnRevokeIsDisabled()
    {
        var user = await factory.CreateUserClientAsync();
        var me = await factory.CreateUserClientAsync();
        await factory.GrantAdminAsync(me.Email);
        foreach (var type in new[] { typeof(IDbContextFactory<TerminalDbContext>), typeof(BillingService), typeof(IAccountDirectory) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<IAdminRoles>());
        AddAuthorization().SetAuthorized(me.Email).SetRoles(Roles.Admin)
            .SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, me.UserId));
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        var panel = Render<AdminUsersPanel>();
        panel.WaitForAssertion(() => panel.Find("[data-table=users]").TextContent.Should().Contain(user.Email));

        Row(panel, user.Email).QuerySelector("[data-action=grant-admin]")!.Click();

        panel.WaitForAssertion(() => Row(panel, user.Email).QuerySelector("[data-action=revoke-admin]").Should().NotBeNull());
        (await factory.Services.GetRequiredService<IAccountDirectory>().ListAsync(CancellationToken.None))
            .Single(u => u.Id == user.UserId).IsAdmin.Should().BeTrue();
        Row(panel, me.Email).QuerySelector("[data-action=revoke-admin]")!.HasAttribute("disabled").Should().BeTrue();
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<AdminUsersPanel> panel, string email) =>
        panel.FindAll("[data-table=users] tbody tr").Single(r => r.TextContent.Contains(email, StringComparison.Ordinal));

    private static string? RowEmailOf(IRenderedComponent<AdminUsersPanel> panel, MudSelect<Plan> select)
    {
        var index = panel.FindComponents<MudSelect<Plan>>().Select(c => c.Instance).ToList().IndexOf(select);
        var rows = panel.FindAll("[data-table=users] tbody tr");
        return rows[index].QuerySelector("td")!.TextContent.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }
}
