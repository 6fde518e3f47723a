using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Terminal.Core;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Hosting;

namespace Terminal.Tests.Web.Features.Hosting;

public sealed class PublicHttpsFactory : TerminalWebFactory
{
    public PublicHttpsFactory()
    {
        Settings["Terminal:PublicBaseUrl"] = "https://terminal.example";
        // AllowedHosts becomes terminal.example: the fixture's own clients must use it.
        ClientBaseAddress = new Uri("http://terminal.example");
    }
}

/// <summary>SPEC §8: links and redirect URIs are built on Terminal:PublicBaseUrl, never on a Host header an attacker chose.</summary>
public sealed class PublicBaseUrlTests(PublicHttpsFactory factory) : IClassFixture<PublicHttpsFactory>
{
    [Fact]
    public async Task ForeignHostHeader_IsRefused_WhenPublicBaseUrlIsSet()
    {
        var client = factory.CreateApiClient();

        using var evilRequest = new HttpRequestMessage(HttpMethod.Get, "/login") { Headers = { Host = "evil.example" } };
        var evil = await client.SendAsync(evilRequest);
        using var ownRequest = new HttpRequestMessage(HttpMethod.Get, "/login") { Headers = { Host = "terminal.example" } };
        var own = await client.SendAsync(ownRequest);

        evil.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await evil.Content.ReadAsStringAsync()).Should().NotContain("evil.example");
        own.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void Links_AreBuiltOnThePublicBaseUrl_NotOnTheRequestsHost()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("evil.example");
        var service = new PublicBaseUrl(Options("https://terminal.example/"), new HttpContextAccessor { HttpContext = context });

        service.Resolve().Should().Be("https://terminal.example");
        service.Resolve("http://evil.example/").Should().Be("https://terminal.example");
    }

    [Fact]
    public void WithoutAPublicBaseUrl_LinksFollowTheRequest_AsInDevelopment()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1:5080");
        var service = new PublicBaseUrl(Options(""), new HttpContextAccessor { HttpContext = context });

        service.Resolve().Should().Be("http://127.0.0.1:5080");
    }

    [Fact]
    public async Task HttpsPublicUrl_BehindAProxy_SendsHstsAndSecureCookies()
    {
        var client = factory.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login") { Headers = { Host = "terminal.example" } };
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Strict-Transport-Security").Should().ContainSingle();
        response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task HttpsPublicUrl_MakesTheSessionCookieSecure()
    {
        var user = await factory.CreateUserClientAsync();
        var client = factory.CreateApiClient();

        using var login = await LoginForm.PostAsync(client, user.Email, user.Password);

        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        login.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("clipterminal.auth", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Production_WithoutAPublicBaseUrl_RefusesToStart()
    {
        using var production = new TerminalWebFactory();
        production.Settings["Terminal:RequirePublicBaseUrl"] = "true";

        var start = () => production.CreateApiClient();

        start.Should().Throw<OptionsValidationException>().WithMessage("*Terminal:PublicBaseUrl*");
    }

    private static IOptionsMonitor<TerminalOptions> Options(string publicBaseUrl)
    {
        var monitor = new OptionsMonitorStub(new TerminalOptions { PublicBaseUrl = publicBaseUrl });
        return monitor;
    }

    private sealed class OptionsMonitorStub(TerminalOptions value) : IOptionsMonitor<TerminalOptions>
    {
        public TerminalOptions CurrentValue => value;

        public TerminalOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<TerminalOptions, string?> listener) => null;
    }
}
