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
        foreach (var type in new[] { typeof(IDbContextFactory<TerminalDbContext>), typeof(BillingService), typeof(Terminal.Core.Accounts.IAccountDirectory), typeof(ICreditLedger) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        using var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<IAdminRoles>());
        AddAuthorization().SetAuthorized("admin@test.local").SetRoles(Roles.Admin)
            .SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "the-admin"));

        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var panel = Render<AdminUsersPanel>();
        panel.WaitForAssertion(() => panel.Find("[data-table=users]").TextContent.Should().Contain(user.Email));

        PickPlan(panel, user.Email, Plan.Enterprise);
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Should().Contain(b => b.TextContent.Trim() == "Change to Enterprise"));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Change to Enterprise").ClickAsync();

        var ledger = factory.Services.GetRequiredService<ICreditLedger>();
        panel.WaitForAssertion(() => panel.Find("[data-table=users]").TextContent.Should().Contain("5,020"));
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
        foreach (var type in new[] { typeof(IDbContextFactory<TerminalDbContext>), typeof(BillingService), typeof(IAccountDirectory), typeof(ICreditLedger) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        using var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<IAdminRoles>());
        AddAuthorization().SetAuthorized(me.Email).SetRoles(Roles.Admin)
            .SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, me.UserId));
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        var panel = Render<AdminUsersPanel>();
        panel.WaitForAssertion(() => panel.Find("[data-table=users]").TextContent.Should().Contain(user.Email));

        await Row(panel, user.Email).QuerySelector("[data-action=grant-admin]")!.ClickAsync();

        panel.WaitForAssertion(() => Row(panel, user.Email).QuerySelector("[data-action=revoke-admin]").Should().NotBeNull());
        (await factory.Services.GetRequiredService<IAccountDirectory>().ListAsync(CancellationToken.None))
            .Single(u => u.Id == user.UserId).IsAdmin.Should().BeTrue();
        Row(panel, me.Email).QuerySelector("[data-action=revoke-admin]")!.HasAttribute("disabled").Should().BeTrue();
    }

    [Fact]
    public async Task PlanChange_AsksFirstStatingTheGrant_CancelChangesNothing_AndConfirmIsRecordedWithWhoDidIt()
    {
        var user = await factory.CreateUserClientAsync();
        foreach (var type in new[] { typeof(IDbContextFactory<TerminalDbContext>), typeof(BillingService), typeof(IAccountDirectory), typeof(ICreditLedger) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        using var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<IAdminRoles>());
        AddAuthorization().SetAuthorized("boss@test.local").SetRoles(Roles.Admin)
            .SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "the-admin"));
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var panel = Render<AdminUsersPanel>();
        panel.WaitForAssertion(() => panel.Find("[data-table=users]").TextContent.Should().Contain(user.Email));
        var ledger = factory.Services.GetRequiredService<ICreditLedger>();

        PickPlan(panel, user.Email, Plan.Pro);
        dialogs.WaitForAssertion(() => dialogs.Markup.Should().Contain($"Move {user.Email} from Free to Pro?").And.Contain("It grants 500 credits"));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync();

        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Should().BeEmpty());
        (await ledger.GetBalanceAsync(user.UserId)).Should().Be(20, "a cancelled change grants nothing");
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            (await db.Users.SingleAsync(u => u.Id == user.UserId)).Plan.Should().Be(Plan.Free);
        }

        PickPlan(panel, user.Email, Plan.Pro);
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Should().Contain(b => b.TextContent.Trim() == "Change to Pro"));
        await dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Change to Pro").ClickAsync();

        panel.WaitForAssertion(() => Row(panel, user.Email).QuerySelector("[data-field=last-plan-change]")!.TextContent
            .Should().Contain("Plan change to Pro by boss@test.local +500"));
        var entries = await ledger.GetEntriesAsync(user.UserId, 10);
        entries[0].Amount.Should().Be(500);
        CreditWords.Describe(entries[0]).Should().Be("Plan change to Pro by boss@test.local +500");
    }

    private void PickPlan(IRenderedComponent<AdminUsersPanel> panel, string email, Plan plan)
    {
        var select = panel.FindComponents<MudSelect<Plan>>().Select(c => c.Instance).First(i => RowEmailOf(panel, i) == email);
        // Not awaited: the change waits on the confirm dialog.
        _ = panel.InvokeAsync(() => select.ValueChanged.InvokeAsync(plan));
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
