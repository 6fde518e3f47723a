using System.Net;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Admin;

/// <summary>ACCT, ADMIN and API rendered by the whole app (prerender) for a user signed in through the log-in form.</summary>
public sealed class ScreensPrerenderTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task Admin_SeesAdminTabs_AcctBillingAndKeys_AndApiScreen()
    {
        _ = await factory.AdminClientAsync(); // registers the fixture's admin and grants the role as `admin grant` does
        var client = await SignInThroughFormAsync(TerminalWebFactory.AdminEmail);

        var admin = await client.GetStringAsync("/admin");
        admin.Should().Contain("data-screen=\"admin\"").And.MatchRegex(ScreenHeader("ADMIN", "Operations")).And.Contain("Jobs").And.Contain("Clip queue").And.Contain("Ingestion").And.Contain("Users");

        var acct = await client.GetStringAsync("/acct");
        acct.Should().Contain("data-screen=\"acct\"").And.MatchRegex(ScreenHeader("ACCT", "Settings"));

        var api = await client.GetStringAsync("/api-docs");
        api.Should().Contain("/ext-api/v1/trends").And.Contain("/scalar/v1").And.MatchRegex(ScreenHeader("API", "External API"));
    }

    [Fact]
    public async Task NonAdmin_IsNotShownTheAdminScreen()
    {
        var client = await SignInThroughFormAsync($"user-{Guid.NewGuid():N}@test.local");
        var acct = await client.GetStringAsync("/acct");
        acct.Should().Contain("data-screen=\"acct\"", "the user is signed in");
        acct.Should().MatchRegex("data-field=\"roles\"[^>]*>(—|&#x2014;)<", "a user without roles sees a dash, not a blank");
        var response = await client.GetAsync("/admin");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().NotContain("data-screen=\"admin\"");
    }

    private async Task<HttpClient> SignInThroughFormAsync(string email)
    {
        const string password = "Passw0rd!x";
        var client = factory.CreateApiClient();
        using var registration = JsonContent(email, password);
        await client.PostAsync("/api/auth/register", registration); // 201, or 409 when a test before registered it
        await LoginForm.SignInAsync(client, email, password);
        return client;
    }

    /// <summary>The amber mnemonic followed by the screen's name, as TRND and CRTR show them.</summary>
    private static string ScreenHeader(string mnemonic, string title) =>
        $"class=\"screen-key mono\">{mnemonic}</span>\\s*<span class=\"screen-name\">{title}</span>";

    private static StringContent JsonContent(string email, string password) =>
        new($"{{\"email\":\"{email}\",\"password\":\"{password}\"}}", System.Text.Encoding.UTF8, "application/json");
}
