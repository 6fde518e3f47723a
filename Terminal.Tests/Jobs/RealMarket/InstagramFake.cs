using System.Globalization;
using System.Text.Json;
using Terminal.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Terminal.Tests.Jobs.RealMarket;

/// <summary>The Graph API's Business Discovery as it answers a Facebook-Login token: the account's own
/// <c>?fields=id,username</c>, <c>business_discovery.username(h){…}</c> bodies, Meta's
/// <c>{"error":{"message","type","code","error_subcode","fbtrace_id"}}</c> errors and the
/// <c>X-Business-Use-Case-Usage</c> header (<c>{"&lt;id&gt;":[{"type":"instagram","call_count":…}]}</c>).</summary>
public static class InstagramFake
{
    public const string AccountId = "17841405309211844";
    public const string Token = "EAAGm0PX4ZCpsBAKTestToken0123456789Q9z8";
    public const string Version = "/v21.0";

    public sealed record Account(string Id, string Username, string Name, long Followers, long MediaCount, IReadOnlyList<Media>? Posts = null);

    public sealed record Media(string Id, string Caption, long Likes, long Comments, DateTime Timestamp);

    /// <summary>Meta's timestamp format: <c>2026-11-27T10:00:00+0000</c>.</summary>
    public static string Stamp(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    public static string Usage(int callCount, int totalTime = 1, int cpu = 1, int regainMinutes = 0) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            [AccountId] = new[] { new Dictionary<string, object> { ["type"] = "instagram", ["call_count"] = callCount, ["total_cputime"] = cpu, ["total_time"] = totalTime, ["estimated_time_to_regain_access"] = regainMinutes } },
        });

    public static IResponseBuilder Json(object body, int status = 200, string? usage = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=UTF-8").WithBody(JsonSerializer.Serialize(body));
        return usage is null ? response : response.WithHeader("X-Business-Use-Case-Usage", usage);
    }

    public static object Error(int code, string message, int? subcode = null, string type = "OAuthException")
    {
        var error = new Dictionary<string, object> { ["message"] = message, ["type"] = type, ["code"] = code };
        if (subcode is { } sub)
        {
            error["error_subcode"] = sub; // Meta leaves it out when there is none
        }

        error["fbtrace_id"] = "AbCdEfGh123";
        return new { error };
    }

    /// <summary>Code 190 as Meta answers an expired token.</summary>
    public static object ExpiredToken() => Error(190, "Error validating access token: Session has expired on Friday, 27-Nov-26 10:00:00 PST.", 463);

    public static object Discovery(Account a) => new
    {
        business_discovery = new
        {
            id = a.Id,
            username = a.Username,
            name = a.Name,
            followers_count = a.Followers,
            media_count = a.MediaCount,
            media = new
            {
                data = (a.Posts ?? []).Select(m => new
                {
                    id = m.Id,
                    caption = m.Caption,
                    like_count = m.Likes,
                    comments_count = m.Comments,
                    timestamp = Stamp(m.Timestamp),
                    media_type = "VIDEO",
                    media_product_type = "REELS",
                    permalink = $"https://www.instagram.com/reel/{m.Id}/",
                }).ToArray(),
                paging = new { cursors = new { after = "QVFIUmx1" } },
            },
        },
        id = AccountId,
    };

    public static IRequestBuilder AccountCall() => Request.Create().WithPath($"{Version}/{AccountId}").UsingGet();

    public static void ValidToken(WireMockServer server) =>
        server.Given(AccountCall().WithParam("fields", new ExactMatcher("id,username"))).AtPriority(10)
            .RespondWith(Json(new { id = AccountId, username = "terminal_business" }, usage: Usage(1)));

    public static void Discover(WireMockServer server, Account account, string? usage = null, int priority = 20) =>
        server.Given(AccountCall().WithParam("fields", new WildcardMatcher($"business_discovery.username({account.Username})*"))).AtPriority(priority)
            .RespondWith(Json(Discovery(account), usage: usage ?? Usage(5)));

    /// <summary>Meta's answer for a username that is no business or creator account.</summary>
    public static void UnknownUsers(WireMockServer server) =>
        server.Given(AccountCall().WithParam("fields", new WildcardMatcher("business_discovery.username(*"))).AtPriority(90)
            .RespondWith(Json(Error(110, "Invalid user id", 2207013), 400, Usage(5)));

    public static int Calls(WireMockServer server) => server.LogEntries.Count();

    public static int DiscoveryCalls(WireMockServer server, string? username = null) =>
        server.LogEntries.Count(e => e.RequestMessage.Query is { } q && q.TryGetValue("fields", out var f)
            && f.Single().StartsWith(username is null ? "business_discovery.username(" : $"business_discovery.username({username})", StringComparison.Ordinal));
}

/// <summary>The app with the Graph API pointed at a WireMock fake and the demo off.</summary>
public sealed class InstagramMarketFactory : TerminalWebFactory
{
    public InstagramMarketFactory()
    {
        Graph = WireMockServer.Start();
        Settings["Terminal:Market:Instagram:GraphApiBaseUrl"] = Graph.Url + InstagramFake.Version;
        Settings["Terminal:LinkedAccounts:RetryBaseDelayMilliseconds"] = "5";
        Settings["Terminal:LinkedAccounts:MaxRetryAttempts"] = "3";
    }

    public WireMockServer Graph { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Graph.Stop();
            Graph.Dispose();
        }
    }
}
