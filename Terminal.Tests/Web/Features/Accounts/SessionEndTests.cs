using System.Net;
using System.Net.Http.Json;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Accounts;

public sealed class SessionEndFactory : TerminalWebFactory
{
    // Check the stamp on every request so the test need not wait the production minute.
    public SessionEndFactory() => Settings["Terminal:Sessions:ValidationInterval"] = "00:00:00";
}

/// <summary>SPEC §8: logging out ends the session everywhere it was used — a saved copy of the cookie stops working.</summary>
public sealed class SessionEndTests(SessionEndFactory factory) : IClassFixture<SessionEndFactory>
{
    [Theory]
    [InlineData("/api/auth/logout")]
    [InlineData("/api/auth/logout-everywhere")]
    public async Task SavedCookie_StopsWorking_AfterApiLogout(string logoutPath)
    {
        var (client, savedCookie) = await CookieLoginAsync();
        (await WithCookie(savedCookie).GetAsync("/api/auth/user")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await client.PostAsync(logoutPath, null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await (await WithCookie(savedCookie).GetAsync("/api/auth/user")).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SavedCookie_StopsWorking_AfterSignOutEverywhereFromAcct()
    {
        var (client, savedCookie) = await CookieLoginAsync();
        var acct = await client.GetStringAsync("/acct/profile");
        acct.Should().Contain("action=\"/account/logout-everywhere\"");
        using var form = LoginForm.TokenOnly(acct);

        var response = await client.PostAsync("/account/logout-everywhere", form);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await (await WithCookie(savedCookie).GetAsync("/api/auth/user")).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task BearerToken_StopsWorking_AfterSignOutEverywhere()
    {
        var user = await factory.CreateUserClientAsync();
        var other = factory.CreateApiClient();
        other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.AccessToken);
        (await other.GetAsync("/api/auth/user")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await user.Http.PostAsync("/api/auth/logout-everywhere", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await (await other.GetAsync("/api/auth/user")).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnotherAccountsCookie_KeepsWorking_AfterOneLogsOut()
    {
        var (client, _) = await CookieLoginAsync();
        var (_, othersCookie) = await CookieLoginAsync();

        (await client.PostAsync("/api/auth/logout", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await WithCookie(othersCookie).GetAsync("/api/auth/user")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Logs in through the log-in form; returns the cookie client and a saved copy of its session cookie.</summary>
    private async Task<(HttpClient Client, string Cookie)> CookieLoginAsync()
    {
        var user = await factory.CreateUserClientAsync();
        var client = factory.CreateApiClient();
        using var login = await LoginForm.PostAsync(client, user.Email, user.Password);
        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie")
            .Select(c => c.Split(';')[0])
            .Where(c => c.StartsWith("clipterminal.auth", StringComparison.Ordinal)));
        cookie.Should().NotBeEmpty();
        return (client, cookie);
    }

    private HttpClient WithCookie(string cookie)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }
}
