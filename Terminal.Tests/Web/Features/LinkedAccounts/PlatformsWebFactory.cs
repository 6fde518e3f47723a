using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Jobs.LinkedAccounts;
using WireMock.RequestBuilders;
using WireMock.Server;
using static Terminal.Tests.Jobs.LinkedAccounts.PlatformFakes;

namespace Terminal.Tests.Web.Features.LinkedAccounts;

/// <summary>The app with <c>Terminal:Platforms:*</c> pointing at one WireMock server that plays Google,
/// Instagram and TikTok (OAuth and APIs). Good apps use the secret <c>good-…</c>; anything else is an
/// unknown client.</summary>
public sealed class PlatformsWebFactory : TerminalWebFactory
{
    public const string GoodSecret = "good-secret-9f8e7d";

    public PlatformsWebFactory()
    {
        Platforms = WireMockServer.Start();
        foreach (var (key, value) in ConnectorHarness.PlatformSettings(Platforms.Url!))
        {
            Settings[key] = value;
        }

        Settings["Terminal:LinkedAccounts:RetryBaseDelayMilliseconds"] = "5";
        Settings["Logging:LogLevel:Default"] = "Trace";
        ServiceOverrides.Add(services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs));
        Settings["Terminal:LinkedAccounts:ScanIntervalSeconds"] = "3600";
        Now = DateTime.UtcNow;
        CredentialChecks();
        YouTubeChannel(Platforms, "UCchannel001", 4321,
        [
            new Video("yt1", "Fresh upload", Now.AddDays(-1), 1000, 80, 20),
            new Video("yt2", "Last week", Now.AddDays(-6), 3000, 150, 30),
            new Video("yt3", "Old one", Now.AddDays(-45), 90000, 5000, 700),
        ]);
        InstagramAccount(Platforms, "17841400000000009", 2500,
        [
            new Media("ig1", "Reel one", Now.AddDays(-2), 300, 40, new() { ["views"] = 5000, ["reach"] = 4000, ["saved"] = 12, ["likes"] = 300, ["comments"] = 40, ["shares"] = 25, ["total_interactions"] = 377 }),
            new Media("ig2", "Reel without insights", Now.AddDays(-3), 50, 5, []),
        ]);
        TikTokAccount(Platforms, "open-tok-1", 777,
        [
            new TikTokVideo("731", "tok one", Now.AddHours(-5), 10_000, 500, 20, 7),
            new TikTokVideo("732", "tok two", Now.AddDays(-10), 20_000, 900, 40, 11),
        ]);
        Platforms.Given(Request.Create().WithPath("/google/revoke").UsingPost()).AtPriority(60).RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200));
        Platforms.Given(Request.Create().WithPath("/tiktok/v2/oauth/revoke/").UsingPost()).AtPriority(60).RespondWith(Json(new { }));
    }

    public WireMockServer Platforms { get; }

    /// <summary>Every log line the app writes (all levels), to prove no secret or token is logged.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public DateTime Now { get; }

    /// <summary>Token endpoints asked with the bogus credential-check code.</summary>
    private void CredentialChecks()
    {
        static bool Check(string? body, bool good) =>
            body is not null && body.Contains("code=clip-terminal-credential-check", StringComparison.Ordinal)
            && body.Contains("client_secret=" + GoodSecret, StringComparison.Ordinal) == good;

        Platforms.Given(Request.Create().WithPath("/google/token").UsingPost().WithBody((string? b) => Check(b, true))).AtPriority(40)
            .RespondWith(Json(new { error = "invalid_grant", error_description = "Malformed auth code." }, 400));
        Platforms.Given(Request.Create().WithPath("/google/token").UsingPost().WithBody((string? b) => Check(b, false))).AtPriority(40)
            .RespondWith(Json(new { error = "invalid_client", error_description = "The OAuth client was not found." }, 401));
        Platforms.Given(Request.Create().WithPath("/instagram/oauth/access_token").UsingPost().WithBody((string? b) => Check(b, true))).AtPriority(40)
            .RespondWith(Json(new { error_type = "OAuthException", code = 400, error_message = "Invalid authorization code" }, 400));
        Platforms.Given(Request.Create().WithPath("/instagram/oauth/access_token").UsingPost().WithBody((string? b) => Check(b, false))).AtPriority(40)
            .RespondWith(Json(new { error_type = "OAuthException", code = 400, error_message = "Error validating client secret." }, 400));
        Platforms.Given(Request.Create().WithPath("/tiktok/v2/oauth/token/").UsingPost().WithBody((string? b) => Check(b, true))).AtPriority(40)
            .RespondWith(Json(new { error = "invalid_grant", error_description = "Authorization code is expired.", log_id = "2026LOG" }, 400));
        Platforms.Given(Request.Create().WithPath("/tiktok/v2/oauth/token/").UsingPost().WithBody((string? b) => Check(b, false))).AtPriority(40)
            .RespondWith(Json(new { error = "invalid_client", error_description = "Client key or secret is incorrect.", log_id = "2026LOG" }, 401));
    }

    public static string TokenPath(Platform platform) => platform switch
    {
        Platform.YouTube => "/google/token",
        Platform.Instagram => "/instagram/oauth/access_token",
        _ => "/tiktok/v2/oauth/token/",
    };

    /// <summary>The token endpoint answers a form whose <paramref name="field"/> is exactly <paramref name="value"/> with <paramref name="body"/>.</summary>
    public void TokenAnswer(Platform platform, string field, string value, object body, int status = 200) =>
        Platforms.Given(Request.Create().WithPath(TokenPath(platform)).UsingPost()
                .WithBody((string? b) => b is not null && HttpUtility.ParseQueryString(b)[field] == value)).AtPriority(10)
            .RespondWith(Json(body, status));

    /// <summary>Instagram's long-lived exchange and refresh (GET on the Graph host).</summary>
    public void InstagramLongLived(string path, string fromToken, string toToken) =>
        Platforms.Given(Request.Create().WithPath($"/graph/{path}").WithParam("access_token", fromToken).UsingGet()).AtPriority(10)
            .RespondWith(Json(new { access_token = toToken, token_type = "bearer", expires_in = 5183944 }));

    /// <summary>Stores credentials and waits for the validation job's verdict.</summary>
    public async Task<JsonElement> StoreCredentialsAsync(AuthenticatedClient user, Platform platform, string secret = GoodSecret)
    {
        var response = await user.Http.PostAsJsonAsync($"/api/credentials/{platform.ToWire()}", new { clientId = $"client-{platform.ToWire()}-{user.UserId[..8]}", clientSecret = secret });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        JsonElement status = default;
        await Wait.UntilAsync(async () =>
        {
            status = (await StatusesAsync(user)).FirstOrDefault(s => s.GetProperty("platform").GetString() == platform.ToWire());
            return status.ValueKind == JsonValueKind.Object && status.GetProperty("status").GetString() != "pending_validation";
        }, TimeSpan.FromSeconds(20), "the credentials are judged");
        return status;
    }

    public static async Task<List<JsonElement>> StatusesAsync(AuthenticatedClient user) =>
        (await user.Http.GetFromJsonAsync<List<JsonElement>>("/api/credentials/status"))!;

    /// <summary>Credentials → validation → authorize redirect → callback (from a client with no session)
    /// → connected; returns the authorize URL's query.</summary>
    public async Task<System.Collections.Specialized.NameValueCollection> LinkAsync(AuthenticatedClient user, Platform platform, string code, object tokens)
    {
        (await StoreCredentialsAsync(user, platform)).GetProperty("status").GetString().Should().Be("valid");
        var start = await user.Http.GetAsync($"/api/auth/link/{platform.ToWire()}");
        start.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var authorize = start.Headers.Location!;
        var query = HttpUtility.ParseQueryString(authorize.Query);

        TokenAnswer(platform, "code", code, tokens);
        var callback = await CreateApiClient().GetAsync($"/api/auth/callback/{platform.ToWire()}?code={code}&state={Uri.EscapeDataString(query["state"]!)}");
        callback.StatusCode.Should().Be(HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync());
        callback.Headers.Location!.ToString().Should().StartWith("/acct");
        return query;
    }

    public async Task<TResult> WithDbAsync<TResult>(Func<TerminalDbContext, Task<TResult>> work)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        return await work(db);
    }

    public Task WaitForFinishedRunsAsync(string userId, int count) =>
        Wait.UntilAsync(() => WithDbAsync(db => db.IngestionRuns.CountAsync(r => r.UserId == userId && r.FinishedAt != null)).ContinueWith(t => t.Result >= count),
            TimeSpan.FromSeconds(30), $"{count} ingestion run(s) finished");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Platforms.Stop();
            Platforms.Dispose();
        }
    }
}

public sealed class CapturingLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{category} {formatter(state, exception)} {exception}");
    }
}
