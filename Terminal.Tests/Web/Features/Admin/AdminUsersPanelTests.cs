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

    private static string? RowEmailOf(IRenderedComponent<AdminUsersPanel> panel, MudSelect<Plan> select)
    {
        var index = panel.FindComponents<MudSelect<Plan>>().Select(c => c.Instance).ToList().IndexOf(select);
        var rows = panel.FindAll("[data-table=users] tbody tr");
        return rows[index].QuerySelector("td")!.TextContent.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }
}
