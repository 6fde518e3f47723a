using System.Net;
using System.Text.RegularExpressions;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Accounts;

/// <summary>The log-in form after a refused attempt: the error shows, the e-mail stays, the wrong password does not.</summary>
public sealed partial class LoginFormTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task WrongPassword_IsClearedFromTheField_TheEmailStays()
    {
        var user = await factory.CreateUserClientAsync();
        var client = factory.CreateApiClient();
        var page = await client.GetStringAsync("/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = TokenField().Match(page).Groups[1].Value,
            ["Input.Email"] = user.Email,
            ["Input.Password"] = "Wrong-Secret-1234",
        });

        var response = await client.PostAsync("/login", form);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("Wrong e-mail or password.");
        html.Should().NotContain("Wrong-Secret-1234");
        html.Should().Contain(WebUtility.HtmlEncode(user.Email));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
