using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Api;
using Terminal.Web.Features.Billing;

namespace Terminal.Tests.Web.Features.Api;

public sealed class ApiPageTests(TerminalWebFactory factory) : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task ShowsExternalEndpointsWithSummaries_ReferenceLink_AndTheUsersKeyCount()
    {
        var user = await factory.CreateUserClientAsync();
        await factory.Services.GetRequiredService<ApiKeyService>().CreateAsync(user.UserId, "one");
        foreach (var type in new[] { typeof(EndpointDataSource), typeof(ApiKeyService), typeof(BillingService) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }

        AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        var page = Render<ApiPage>();

        page.WaitForAssertion(() => page.Find("[data-field=key-count]").TextContent.Should().Be("1"));
        var endpoints = page.Find("[data-table=ext-endpoints]").TextContent;
        endpoints.Should().Contain("/ext-api/v1/trends").And.Contain("/ext-api/v1/vods").And.Contain("Ranked trends");
        page.Find("[data-action=reference]").GetAttribute("href").Should().Be("/scalar/v1");
        page.Find("[data-panel=key-hint]").TextContent.Should().Contain("60 req/min per key");
    }
}
