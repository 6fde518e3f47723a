using System.Net;
using System.Text.RegularExpressions;

namespace Terminal.Tests.Infrastructure;

/// <summary>The server-rendered forms as a browser posts them: the antiforgery token of a page, and the log-in form.</summary>
public static partial class LoginForm
{
    /// <summary>The first antiforgery token in <paramref name="html"/>.</summary>
    public static string Token(string html) => TokenField().Match(html).Groups[1].Value;

    /// <summary>The antiforgery token of the form that posts to <paramref name="action"/> (the first token after it).</summary>
    public static string TokenOfForm(string html, string action) => Token(html[html.IndexOf(action, StringComparison.Ordinal)..]);

    /// <summary>Signs in through the /login form, as a browser does; the client keeps the cookie.</summary>
    public static async Task SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/login");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = Token(page),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        var login = await client.PostAsync("/login", content);
        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
