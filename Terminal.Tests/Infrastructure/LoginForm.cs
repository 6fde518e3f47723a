using System.Net;
using System.Text.RegularExpressions;

namespace Terminal.Tests.Infrastructure;

/// <summary>The server-rendered forms as a browser posts them: the antiforgery token of a page, and the log-in form.</summary>
public static partial class LoginForm
{
    /// <summary>The first antiforgery token in <paramref name="html"/> (HTML-decoded, as a browser would send it).</summary>
    public static string Token(string html) => WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value);

    /// <summary>The antiforgery token of the form that posts to <paramref name="action"/> (the first token after it).</summary>
    public static string TokenOfForm(string html, string action) => Token(html[html.IndexOf(action, StringComparison.Ordinal)..]);

    /// <summary>A form body with only the antiforgery token of <paramref name="html"/> (the log-out forms).</summary>
    public static FormUrlEncodedContent TokenOnly(string html) => new(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(html) });

    /// <summary>Loads the log-in page at <paramref name="path"/> and posts its form as a browser does; the answer is the caller's to check.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string email, string password, string path = "/login")
    {
        var page = await client.GetStringAsync(path);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = Token(page),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync(path, content);
    }

    /// <summary>Signs in through the /login form, as a browser does; the client keeps the cookie.</summary>
    public static async Task SignInAsync(HttpClient client, string email, string password)
    {
        using var login = await PostAsync(client, email, password);
        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
