using System.Net;
using System.Net.Http.Json;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Accounts;

/// <summary>ACCT → Profile: change password (issue #16 settings). The current password is required;
/// every other session ends, the browser that changed it stays signed in.</summary>
public sealed class ChangePasswordTests(SessionEndFactory factory) : IClassFixture<SessionEndFactory>
{
    [Fact]
    public async Task FormChange_KeepsThisBrowser_EndsOtherSessions_AndTheNewPasswordLogsIn()
    {
        var user = await factory.CreateUserClientAsync();
        var browser = factory.CreateApiClient();
        await LoginForm.SignInAsync(browser, user.Email, user.Password);
        var other = factory.CreateApiClient();
        other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.AccessToken);
        (await other.GetAsync("/api/auth/user")).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await PostFormAsync(browser, user.Password, "N3w-password-long");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/acct/profile?password=changed");
        (await browser.GetAsync("/api/auth/user")).StatusCode.Should().Be(HttpStatusCode.OK, "the browser that changed it stays signed in");
        await (await other.GetAsync("/api/auth/user")).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
        (await factory.CreateApiClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await factory.CreateApiClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "N3w-password-long" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await browser.GetStringAsync("/acct/profile?password=changed")).Should().Contain("Password changed.");
    }

    [Fact]
    public async Task FormChange_WithAWrongCurrentPassword_ChangesNothing_AndSaysWhy()
    {
        var user = await factory.CreateUserClientAsync();
        var browser = factory.CreateApiClient();
        await LoginForm.SignInAsync(browser, user.Email, user.Password);

        var response = await PostFormAsync(browser, "not-my-password1", "N3w-password-long");

        response.Headers.Location!.OriginalString.Should().Be("/acct/profile?password_error=wrong_password");
        (await browser.GetStringAsync(response.Headers.Location.OriginalString)).Should().Contain("The current password is not right");
        (await factory.CreateApiClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password })).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Api_RequiresTheCurrentPassword_WithTheErrorBody()
    {
        var user = await factory.CreateUserClientAsync();

        await (await user.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = "wrong-one-1", newPassword = "N3w-password-long" }))
            .ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "wrong_password");
        await (await user.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = user.Password, newPassword = "short" }))
            .ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_password");
        (await user.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = user.Password, newPassword = "N3w-password-long" }))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await factory.CreateApiClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "N3w-password-long" })).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string current, string next)
    {
        var page = await browser.GetStringAsync("/acct/profile");
        page.Should().Contain("action=\"/account/change-password\"");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = LoginForm.TokenOfForm(page, "/account/change-password"),
            ["currentPassword"] = current,
            ["newPassword"] = next,
        });
        return await browser.PostAsync("/account/change-password", content);
    }
}
