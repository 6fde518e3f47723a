using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Core.LinkedAccounts;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.LinkedAccounts;

namespace Terminal.Tests.Web.Features.LinkedAccounts;

/// <summary>The CRM screen and the ADMIN ingestion panel over real data synced from the fake platforms.</summary>
public sealed class CrmPageTests(PlatformsWebFactory factory) : BunitTestBase, IClassFixture<PlatformsWebFactory>
{
    private void SignIn(string userId, params string[] roles)
    {
        Services.AddSingleton(factory.Services.GetRequiredService<ICrmQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<IIngestionQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<Terminal.Web.Features.Insights.InsightsService>());
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userId) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
        Services.AddCascadingValue(_ => Task.FromResult(new AuthenticationState(principal)));
        AddAuthorization().SetAuthorized(userId).SetRoles(roles);
    }

    [Fact]
    public async Task Crm_ShowsKpiTilesAndPosts_FromTheUsersLinkedAccount()
    {
        var user = await factory.CreateUserClientAsync();
        var code = "code-" + Guid.NewGuid().ToString("N");
        await factory.LinkAsync(user, Platform.TikTok, code, new { access_token = "act." + code, expires_in = 86400, open_id = "open-tok-1", refresh_token = "rft." + code, scope = "video.list", token_type = "Bearer" });
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);
        SignIn(user.UserId);

        var page = Render<CrmPage>();

        page.WaitForAssertion(() => page.Find("[data-kpi=followers]").TextContent.Should().Contain("777"));
        page.Find("[data-kpi=views]").TextContent.Should().Contain("30,000");
        page.Find("[data-testid=posts]").TextContent.Should().Contain("tok one").And.Contain("10,000");
        page.Find("[data-testid=export]").GetAttribute("href").Should().Be("/api/crm/export.csv?period=30d");
        page.WaitForAssertion(() => page.Find("[data-panel=crm-insights] [data-best-note]").TextContent.Should().Contain("not enough posts"));
    }

    [Fact]
    public async Task Crm_WithNothingLinked_ShowsEmptyStateWithNextAction()
    {
        var user = await factory.CreateUserClientAsync();
        SignIn(user.UserId);

        var page = Render<CrmPage>();

        page.WaitForAssertion(() => page.Find("[data-testid=crm-empty]").TextContent.Should().Contain("No linked accounts"));
        page.Find("[data-testid=crm-empty] a").GetAttribute("href").Should().Be("/acct/platforms");
    }

    [Fact]
    public async Task AdminIngestionPanel_ListsRunsWithRecordsAndQuota()
    {
        var user = await factory.CreateUserClientAsync();
        var code = "code-" + Guid.NewGuid().ToString("N");
        await factory.LinkAsync(user, Platform.TikTok, code, new { access_token = "act." + code, expires_in = 86400, open_id = "open-tok-1", refresh_token = "rft." + code, scope = "video.list", token_type = "Bearer" });
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);
        SignIn("admin-id", Terminal.Core.Accounts.Roles.Admin);

        var panel = Render<AdminIngestionPanel>();

        panel.WaitForAssertion(() => panel.Find("[data-testid=admin-ingestion]").TextContent.Should().Contain(user.Email).And.Contain("tiktok").And.Contain("succeeded"));
    }
}
