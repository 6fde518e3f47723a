using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Terminal.Core.Market;
using Terminal.Core.Reports;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Reports;

namespace Terminal.Tests.Web.Features.Reports;

/// <summary>ACCT → Reports over the app's real store and progress feed: the list, live progress, the
/// download links of a ready report and delete.</summary>
public sealed class ReportsPanelTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    private void SignIn(string userId)
    {
        Services.AddSingleton(factory.Services.GetRequiredService<IReportStore>());
        Services.AddSingleton(factory.Services.GetRequiredService<ReportScheduler>());
        Services.AddSingleton(factory.Services.GetRequiredService<ReportFiles>());
        Services.AddSingleton(factory.Services.GetRequiredService<ReportProgressFeed>());
        Services.AddSingleton(factory.Services.GetRequiredService<IMarketQueries>());
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test"));
        Services.AddCascadingValue(_ => Task.FromResult(new AuthenticationState(principal)));
    }

    [Fact]
    public async Task Panel_ListsReports_FollowsProgress_LinksDownloads_AndDeletes()
    {
        var user = await factory.CreateUserClientAsync();
        var store = factory.Services.GetRequiredService<IReportStore>();
        var running = await store.CreateAsync(user.UserId, ReportKind.Market, "7d", null, null);
        await store.UpdateProgressAsync(running.Id, ReportStatus.Processing, 40);
        var ready = await store.CreateAsync(user.UserId, ReportKind.Crm, "30d", null, null);
        var files = factory.Services.GetRequiredService<ReportFiles>();
        var pdf = files.FullPath(ReportFiles.PdfPath(ready.Id));
        Directory.CreateDirectory(Path.GetDirectoryName(pdf)!);
        await File.WriteAllTextAsync(pdf, "%PDF-1.4");
        await File.WriteAllTextAsync(ReportFiles.JsonPathOf(pdf), "{}");
        await store.CompleteAsync(ready.Id, ReportFiles.PdfPath(ready.Id), 8);
        var others = await store.CreateAsync((await factory.CreateUserClientAsync()).UserId, ReportKind.Market, "30d", null, null);
        SignIn(user.UserId);
        Render<MudPopoverProvider>();

        var panel = Render<ReportsPanel>();

        panel.WaitForAssertion(() => panel.FindAll("[data-table=reports] tbody tr").Should().HaveCount(2, "only the user's own reports are listed"));
        panel.Find("[data-status=processing]").TextContent.Should().Be("PROCESSING");
        panel.Find("[data-status=ready]").TextContent.Should().Be("READY");
        panel.FindAll("[data-action=download-pdf]").Should().ContainSingle()
            .Which.GetAttribute("href").Should().Be($"/api/reports/{ready.Id}/download");
        panel.Find("[data-action=download-csv]").GetAttribute("href").Should().Be($"/api/reports/{ready.Id}/download?format=csv");
        panel.Markup.Should().NotContain(others.Id.ToString());

        await store.UpdateProgressAsync(running.Id, ReportStatus.Ready, 100);
        await store.CompleteAsync(running.Id, ReportFiles.PdfPath(running.Id), 99);
        await factory.Services.GetRequiredService<ReportProgressFeed>().NotifyAsync(user.UserId, new ReportProgress(running.Id, ReportStatus.Ready, 100, null));
        panel.WaitForAssertion(() => panel.FindAll("[data-status=ready]").Should().HaveCount(2, "a progress message reloads the list live"));

        var readyRow = panel.FindAll("[data-table=reports] tbody tr").Single(r => r.InnerHtml.Contains($"/api/reports/{ready.Id}/download"));
        await readyRow.QuerySelector("[data-action=delete-report]")!.ClickAsync();

        panel.WaitForAssertion(() => panel.FindAll("[data-table=reports] tbody tr").Should().ContainSingle());
        panel.Markup.Should().NotContain($"/api/reports/{ready.Id}/download");
        (await store.GetAsync(ready.Id)).Should().BeNull("delete removes the stored report");
        File.Exists(pdf).Should().BeFalse("delete removes the PDF from the data directory");
        File.Exists(ReportFiles.JsonPathOf(pdf)).Should().BeFalse("and its JSON");
        (await store.GetAsync(running.Id)).Should().NotBeNull();
    }
}
