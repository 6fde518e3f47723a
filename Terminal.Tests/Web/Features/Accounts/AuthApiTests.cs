using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Accounts;

public sealed class AuthApiTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task Register_ThenLogin_ReturnsBearerToken_AndUserHasStartingCredits()
    {
        var client = factory.CreateApiClient();
        var email = $"new-{Guid.NewGuid():N}@test.local";

        var register = await client.PostAsJsonAsync("/api/auth/register", new { email, password = "Passw0rd!x" });
        register.StatusCode.Should().Be(HttpStatusCode.Created);

        var token = await TerminalWebFactory.LoginAsync(client, email, "Passw0rd!x");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var user = await client.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user");

        user!.Email.Should().Be(email);
        user.Plan.Should().Be("free");
        user.Credits.Should().Be(20);
        user.Roles.Should().BeEmpty();
    }

    [Fact]
    public async Task Register_WithTakenEmail_Returns409()
    {
        var existing = await factory.CreateUserClientAsync();
        var response = await factory.CreateApiClient().PostAsJsonAsync("/api/auth/register", new { email = existing.Email, password = "Passw0rd!x" });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "email_taken");
    }

    [Theory]
    [InlineData("not-an-email", "Passw0rd!x", "invalid_email")]
    [InlineData("", "Passw0rd!x", "invalid_email")]
    [InlineData("short@test.local", "x1", "invalid_password")]
    public async Task Register_WithBadInput_Returns400(string email, string password, string code)
    {
        var response = await factory.CreateApiClient().PostAsJsonAsync("/api/auth/register", new { email, password });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Login_WithWrongPassword_Returns401()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await factory.CreateApiClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "wrong-password1" });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Login_WithUnknownEmail_Returns401()
    {
        var response = await factory.CreateApiClient().PostAsJsonAsync("/api/auth/login", new { email = "nobody@test.local", password = "Passw0rd!x" });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task User_WithoutCredentials_Returns401ErrorBody()
    {
        var response = await factory.CreateApiClient().GetAsync("/api/auth/user");
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task User_WithForgedToken_Returns401()
    {
        var client = factory.CreateApiClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-real-token");
        var response = await client.GetAsync("/api/auth/user");
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task MalformedJson_Returns400InvalidJson()
    {
        using var content = new StringContent("{\"email\":", Encoding.UTF8, "application/json");
        var response = await factory.CreateApiClient().PostAsync("/api/auth/login", content);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task WrongContentType_Returns415ErrorBody()
    {
        var user = await factory.CreateUserClientAsync();
        using var content = new StringContent("x", Encoding.UTF8, "text/plain");
        var response = await user.Http.PostAsync("/api/auth/register", content);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task WrongMethod_Returns405ErrorBody()
    {
        var user = await factory.CreateUserClientAsync();
        // DELETE /api/auth/user deletes the account; PUT is no method of it.
        var response = await user.Http.PutAsync("/api/auth/user", null);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task UnknownApiRoute_Returns404ErrorBody()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.GetAsync("/api/does-not-exist");
        await response.ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Register_NeverGrantsARole_EvenForAnEmailInTheOldAdminSetting()
    {
        using var listed = new TerminalWebFactory();
        listed.Settings["Terminal:Admin:Emails:0"] = "listed@test.local";

        var registered = await listed.CreateUserClientAsync("listed@test.local");

        var user = await registered.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user");
        user!.Roles.Should().BeEmpty();
    }

    [Fact]
    public async Task AnonymousScreenVisit_RedirectsToLoginWithReturnUrl()
    {
        var response = await factory.CreateApiClient().GetAsync("/crm");
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.Should().Be("/login?returnUrl=%2Fcrm");
    }

    [Fact]
    public async Task LoginPage_HasEmailInputWithUsernameAutocomplete()
    {
        var html = await factory.CreateApiClient().GetStringAsync("/login");
        html.Should().MatchRegex("<input[^>]*type=\"email\"[^>]*autocomplete=\"username\"");
        html.Should().Contain("type=\"password\"");
    }

    [Fact]
    public async Task Health_IsAnonymous_ButShowsOnlyTheStatus()
    {
        var client = factory.CreateApiClient();
        HttpResponseMessage response = null!;
        var body = "";
        await Wait.UntilAsync(async () =>
        {
            response = await client.GetAsync("/health");
            body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "/health answers 200");
        body.Should().Be("{\"status\":\"healthy\"}");
    }

    [Fact]
    public async Task Health_ForAnAdmin_ReportsEachCheck()
    {
        var client = (await factory.AdminClientAsync()).Http;
        // The scheduler starts in the background right after the host; under load it can still be
        // "Created" on the first request, so wait (with a deadline) for the first healthy answer.
        HttpResponseMessage response = null!;
        var body = "";
        await Wait.UntilAsync(async () =>
        {
            response = await client.GetAsync("/health");
            body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "/health answers 200");
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        body.Should().Contain("\"database\"").And.Contain("\"scheduler\"").And.Contain("\"ffmpeg\"");
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        var response = await factory.CreateApiClient().GetAsync("/login");
        response.Headers.GetValues("X-Content-Type-Options").Should().Contain("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Contain("DENY");
        response.Headers.Contains("Content-Security-Policy").Should().BeTrue();
    }

    [Fact]
    public async Task Csp_LimitsConnectSrc_ToOurOwnOrigin()
    {
        var response = await factory.CreateApiClient().GetAsync("/login");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        csp.Split(';').Select(d => d.Trim()).Should().Contain("connect-src 'self'");
    }

    [Theory]
    [InlineData("%2Fcrtr%2F%C3%BC", "/crtr/%C3%BC")]
    [InlineData("%2F%0D%0ASet-Cookie%3Ax", "/")]
    [InlineData("%2F%2Fevil.example", "/")]
    [InlineData("%2F%5Cevil.example", "/")]
    [InlineData("https%3A%2F%2Fevil.example", "/")]
    public async Task LoginForm_WithCraftedReturnUrl_RedirectsSafely_NeverA500(string returnUrl, string expected)
    {
        var user = await factory.CreateUserClientAsync();
        var client = factory.CreateApiClient();

        using var response = await LoginForm.PostAsync(client, user.Email, user.Password, $"/login?returnUrl={returnUrl}");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = new Uri(new Uri("http://localhost"), response.Headers.Location!);
        location.Host.Should().Be("localhost");
        location.PathAndQuery.Should().Be(expected);
    }
}
