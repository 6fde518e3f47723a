using System.Net;
using System.Net.Http.Json;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Accounts;

/// <summary>CSRF (SPEC §8): cookie sessions refuse unsafe requests from a foreign origin; bearer calls are unaffected.</summary>
public sealed class CrossSiteRequestTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    private async Task<HttpClient> CookieClientAsync()
    {
        var user = await factory.CreateUserClientAsync();
        var client = factory.CreateApiClient();
        await LoginForm.SignInAsync(client, user.Email, user.Password);
        return client;
    }

    private static HttpRequestMessage KeyRequest(string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonContent.Create(new { name = "csrf" }) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }

    [Fact]
    public async Task CookiePost_FromAForeignOrigin_Is403()
    {
        var client = await CookieClientAsync();
        using var request = KeyRequest(origin: "https://evil.example");
        var response = await client.SendAsync(request);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "cross_site_request");
    }

    [Fact]
    public async Task CookiePost_MarkedCrossSite_Is403()
    {
        var client = await CookieClientAsync();
        using var request = KeyRequest(fetchSite: "cross-site");
        var response = await client.SendAsync(request);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "cross_site_request");
    }

    [Fact]
    public async Task CookiePost_FromOurOwnOrigin_NeedsNoToken()
    {
        var client = await CookieClientAsync();
        using var request = KeyRequest(origin: "http://localhost", fetchSite: "same-origin");
        var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BearerPost_FromAForeignOrigin_IsUnaffected()
    {
        var user = await factory.CreateUserClientAsync();
        using var request = KeyRequest(origin: "https://evil.example", fetchSite: "cross-site");
        var response = await user.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
