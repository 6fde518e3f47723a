using System.Net;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Accounts;

/// <summary>The log-in form after a refused attempt: the error shows, the e-mail stays, the wrong password does not.</summary>
public sealed class LoginFormTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task WrongPassword_IsClearedFromTheField_TheEmailStays()
    {
        var user = await factory.CreateUserClientAsync();
        var client = factory.CreateApiClient();

        using var response = await LoginForm.PostAsync(client, user.Email, "Wrong-Secret-1234");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("Wrong e-mail or password.");
        html.Should().NotContain("Wrong-Secret-1234");
        html.Should().Contain(WebUtility.HtmlEncode(user.Email));
    }
}
