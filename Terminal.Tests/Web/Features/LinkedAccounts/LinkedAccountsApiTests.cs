using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Core.Secrets;
using Terminal.Jobs.LinkedAccounts;
using Terminal.Tests.Infrastructure;
using WireMock.RequestBuilders;

namespace Terminal.Tests.Web.Features.LinkedAccounts;

/// <summary>SPEC §4 credentials → validate → link → callback → sync → CRM, through the whole app with the
/// platforms played by WireMock.</summary>
public sealed class LinkedAccountsApiTests(PlatformsWebFactory factory) : IClassFixture<PlatformsWebFactory>
{
    private static object GoogleTokens(string suffix) => new
    {
        access_token = "ya29." + suffix,
        expires_in = 3599,
        refresh_token = "1//rt-" + suffix,
        scope = "https://www.googleapis.com/auth/youtube.readonly",
        token_type = "Bearer",
    };

    private static object TikTokTokens(string suffix) => Terminal.Tests.Jobs.LinkedAccounts.PlatformFakes.TikTokTokens(suffix, "user.info.basic,user.info.stats,video.list");

    private static string Code() => "code-" + Guid.NewGuid().ToString("N");

    private async Task<JsonElement> CrmAsync(AuthenticatedClient user, string period = "30d") =>
        await user.Http.GetFromJsonAsync<JsonElement>($"/api/crm/performance?period={period}");

    private Task<long> AccountIdAsync(AuthenticatedClient user, Platform platform) =>
        factory.WithDbAsync(db => db.PlatformAccounts.Where(a => a.UserId == user.UserId && a.Platform == platform).Select(a => a.Id).SingleAsync());

    [Fact]
    public async Task YouTube_FullPath_CredentialsValidateLinkCallbackSyncCrm()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();

        var post = await user.Http.PostAsJsonAsync("/api/credentials/youtube", new { clientId = "probe", clientSecret = PlatformsWebFactory.GoodSecret });
        post.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var accepted = await post.Content.ReadFromJsonAsync<JsonElement>();
        accepted.GetProperty("platform").GetString().Should().Be("youtube");
        accepted.GetProperty("status").GetString().Should().Be("pending_validation");

        var authorize = await factory.LinkAsync(user, Platform.YouTube, code, GoogleTokens(code));

        authorize["client_id"].Should().StartWith("client-youtube-");
        authorize["access_type"].Should().Be("offline");
        authorize["prompt"].Should().Be("consent");
        authorize["code_challenge_method"].Should().Be("S256");
        authorize["redirect_uri"].Should().Be("http://localhost/api/auth/callback/youtube");
        var exchange = factory.Platforms.LogEntries.Single(e => e.RequestMessage.Path == "/google/token" && e.RequestMessage.Body!.Contains("code=" + code, StringComparison.Ordinal));
        var form = HttpUtility.ParseQueryString(exchange.RequestMessage.Body!);
        Pkce.Challenge(form["code_verifier"]!).Should().Be(authorize["code_challenge"], "the verifier kept server-side matches the challenge sent");
        form["client_secret"].Should().Be(PlatformsWebFactory.GoodSecret);

        await factory.WaitForFinishedRunsAsync(user.UserId, 1);
        var status = (await PlatformsWebFactory.StatusesAsync(user)).Single();
        status.GetProperty("status").GetString().Should().Be("connected");

        var crm = await CrmAsync(user);
        var kpis = crm.GetProperty("kpis");
        kpis.GetProperty("followers").GetInt64().Should().Be(4321);
        kpis.GetProperty("views").GetInt64().Should().Be(1000 + 3000, "only posts published in the last 30 days count");
        kpis.GetProperty("likes").GetInt64().Should().Be(80 + 150);
        kpis.GetProperty("comments").GetInt64().Should().Be(20 + 30);
        kpis.GetProperty("engagementRate").GetDouble().Should().BeApproximately((80 + 150 + 20 + 30) / 4000.0, 1e-12);
        var posts = crm.GetProperty("posts").EnumerateArray().ToList();
        posts.Select(p => p.GetProperty("title").GetString()).Should().Equal("Fresh upload", "Last week");
        posts[0].GetProperty("views").GetInt64().Should().Be(1000);
        posts[0].GetProperty("shares").ValueKind.Should().Be(JsonValueKind.Null, "YouTube reports no share count");
        posts[0].GetProperty("platform").GetString().Should().Be("youtube");
        crm.GetProperty("series").EnumerateArray().Should().Contain(s => s.GetProperty("metric").GetString() == "followers" && s.GetProperty("points").GetArrayLength() == 1);
    }

    [Fact]
    public async Task Callback_StateIsSingleUse_AndUnknownStateIs400()
    {
        var user = await factory.CreateUserClientAsync();
        (await factory.StoreCredentialsAsync(user, Platform.TikTok)).GetProperty("status").GetString().Should().Be("valid");
        var start = await user.Http.GetAsync("/api/auth/link/tiktok");
        var state = HttpUtility.ParseQueryString(start.Headers.Location!.Query)["state"]!;
        var code = Code();
        factory.TokenAnswer(Platform.TikTok, "code", code, TikTokTokens(code));

        var first = await factory.CreateApiClient().GetAsync($"/api/auth/callback/tiktok?code={code}&state={Uri.EscapeDataString(state)}");
        var replay = await factory.CreateApiClient().GetAsync($"/api/auth/callback/tiktok?code={code}&state={Uri.EscapeDataString(state)}");
        var forged = await factory.CreateApiClient().GetAsync($"/api/auth/callback/tiktok?code={code}&state=forged");

        first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await replay.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_state");
        await forged.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_state");
    }

    [Fact]
    public async Task Callback_WithExpiredState_Is400()
    {
        var user = await factory.CreateUserClientAsync();
        await factory.StoreCredentialsAsync(user, Platform.YouTube);
        var start = await user.Http.GetAsync("/api/auth/link/youtube");
        var state = HttpUtility.ParseQueryString(start.Headers.Location!.Query)["state"]!;
        await factory.WithDbAsync(db => db.OAuthLinkStates.Where(s => s.UserId == user.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));

        var callback = await factory.CreateApiClient().GetAsync($"/api/auth/callback/youtube?code=x&state={Uri.EscapeDataString(state)}");

        await callback.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "expired_state");
    }

    [Fact]
    public async Task TikTok_Link_UsesClientKeyAndPkce_AndCrmHasExactNumbers()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();

        var authorize = await factory.LinkAsync(user, Platform.TikTok, code, TikTokTokens(code));
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);

        authorize["client_key"].Should().StartWith("client-tiktok-");
        authorize["client_id"].Should().BeNull();
        authorize["code_challenge_method"].Should().Be("S256");
        var crm = await CrmAsync(user, "7d");
        crm.GetProperty("kpis").GetProperty("followers").GetInt64().Should().Be(777);
        crm.GetProperty("kpis").GetProperty("views").GetInt64().Should().Be(10_000);
        crm.GetProperty("kpis").GetProperty("shares").GetInt64().Should().Be(7);
        (await CrmAsync(user, "30d")).GetProperty("kpis").GetProperty("views").GetInt64().Should().Be(30_000);
        var csv = await user.Http.GetAsync("/api/crm/export.csv?period=30d");
        csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        lines[0].Should().Be("platform,title,publishedAt,views,likes,comments,shares,engagementRate,url");
        lines.Should().HaveCount(3);
        lines[1].Should().StartWith("tiktok,tok one,").And.Contain(",10000,500,20,7,0.0527,https://www.tiktok.com/@tok/video/731");
    }

    [Fact]
    public async Task Instagram_Link_ExchangesForLongLivedToken_AndEmptyInsightsStayNull()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        var shortToken = "IGshort-" + code;
        var longToken = "IGlong-" + code;
        factory.InstagramLongLived("access_token", shortToken, longToken);

        await factory.LinkAsync(user, Platform.Instagram, code, new
        {
            data = new[] { new { access_token = shortToken, user_id = "17841400000000009", permissions = "instagram_business_basic,instagram_business_manage_insights" } },
        });
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);

        var accountId = await AccountIdAsync(user, Platform.Instagram);
        var stored = await factory.WithDbAsync(db => db.PlatformAccounts.SingleAsync(a => a.Id == accountId));
        (await factory.Services.GetRequiredService<ISecretStore>().GetAsync(stored.AccessTokenRef!)).Should().Be(longToken);
        stored.AccessTokenExpiresAt.Should().BeCloseTo(DateTime.UtcNow.AddSeconds(5183944), TimeSpan.FromMinutes(1));
        factory.Platforms.LogEntries.Should().Contain(e => e.RequestMessage.Path == "/graph/access_token"
            && e.RequestMessage.Query!["grant_type"].Single() == "ig_exchange_token" && e.RequestMessage.Query["client_secret"].Single() == PlatformsWebFactory.GoodSecret);

        var crm = await CrmAsync(user);
        crm.GetProperty("kpis").GetProperty("followers").GetInt64().Should().Be(2500);
        crm.GetProperty("kpis").GetProperty("views").GetInt64().Should().Be(5000);
        var noInsights = crm.GetProperty("posts").EnumerateArray().Single(p => p.GetProperty("title").GetString() == "Reel without insights");
        noInsights.GetProperty("views").ValueKind.Should().Be(JsonValueKind.Null);
        noInsights.GetProperty("engagementRate").ValueKind.Should().Be(JsonValueKind.Null);
        noInsights.GetProperty("likes").GetInt64().Should().Be(50);
    }

    [Fact]
    public async Task PlatformThatCannotJudge_LeavesCredentialsPending_AndTheValidationRunFails()
    {
        var user = await factory.CreateUserClientAsync();
        factory.TokenAnswer(Platform.YouTube, "client_secret", "down-secret-503", new { error = "backend_error" }, 503);
        var history = factory.Services.GetRequiredService<Terminal.Jobs.Admin.JobRunHistory>();
        var before = history.LastRun(ValidateCredentialsJob.Key);

        var post = await user.Http.PostAsJsonAsync("/api/credentials/youtube", new { clientId = "probe-down", clientSecret = "down-secret-503" });

        post.StatusCode.Should().Be(HttpStatusCode.Accepted);
        Terminal.Jobs.Admin.JobRunRecord? run = null;
        await Wait.UntilAsync(() => (run = history.LastRun(ValidateCredentialsJob.Key)) is not null && run != before,
            TimeSpan.FromSeconds(20), "the validation job ran");
        run!.Result.Should().StartWith("failed").And.Contain("youtube answered 503", "ADMIN must not read \"succeeded\" when no verdict came");
        var status = (await PlatformsWebFactory.StatusesAsync(user)).Single();
        status.GetProperty("status").GetString().Should().Be("pending_validation");
        status.GetProperty("reason").GetString().Should().Contain("will be retried").And.NotContain("Exception");
    }

    [Fact]
    public async Task InvalidCredentials_AreJudgedInvalidWithReason_AndLinkIs409()
    {
        var user = await factory.CreateUserClientAsync();

        var status = await factory.StoreCredentialsAsync(user, Platform.TikTok, secret: "wrong-secret");

        status.GetProperty("status").GetString().Should().Be("invalid");
        status.GetProperty("reason").GetString().Should().Contain("invalid_client");
        status.GetProperty("lastValidatedAt").GetDateTime().Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        var instagram = await factory.StoreCredentialsAsync(user, Platform.Instagram, secret: "wrong-secret");
        instagram.GetProperty("status").GetString().Should().Be("invalid");
        instagram.GetProperty("reason").GetString().Should().Contain("client secret");
        await (await user.Http.GetAsync("/api/auth/link/tiktok")).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "credentials_not_valid");
        await (await user.Http.GetAsync("/api/auth/link/youtube")).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "credentials_not_valid");
    }

    [Fact]
    public async Task Secrets_AreNeverReturnedOrStoredInPlainText()
    {
        var user = await factory.CreateUserClientAsync();
        await factory.StoreCredentialsAsync(user, Platform.YouTube);

        var body = await user.Http.GetStringAsync("/api/credentials/status");
        body.Should().NotContain(PlatformsWebFactory.GoodSecret);
        var credential = await factory.WithDbAsync(db => db.PlatformCredentials.SingleAsync(c => c.UserId == user.UserId));
        credential.ClientSecretRef.Should().StartWith("ct-").And.NotContain(PlatformsWebFactory.GoodSecret);
        var ciphertext = await factory.WithDbAsync(db => db.Secrets.Where(s => s.Reference == credential.ClientSecretRef).Select(s => s.Ciphertext).SingleAsync());
        ciphertext.Should().NotContain(PlatformsWebFactory.GoodSecret);
    }

    [Fact]
    public async Task SecretsAndTokens_AreNeverLogged()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        factory.InstagramLongLived("access_token", "IGshort-" + code, "IGlong-" + code);
        await factory.LinkAsync(user, Platform.Instagram, code, new { access_token = "IGshort-" + code, user_id = "17841400000000009", permissions = "instagram_business_basic" });
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);
        var google = Code();
        await factory.LinkAsync(user, Platform.YouTube, google, GoogleTokens(google));
        await factory.WaitForFinishedRunsAsync(user.UserId, 2);

        factory.Logs.Lines.Should().NotBeEmpty();
        factory.Logs.Lines.Should().Contain(l => l.Contains("graph/access_token", StringComparison.Ordinal), "HTTP calls are logged, just not their secrets");
        factory.Logs.Lines.Should().NotContain(l => l.Contains(PlatformsWebFactory.GoodSecret, StringComparison.Ordinal)
            || l.Contains("IGshort-" + code, StringComparison.Ordinal) || l.Contains("IGlong-" + code, StringComparison.Ordinal)
            || l.Contains("ya29." + google, StringComparison.Ordinal) || l.Contains("rt-" + google, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/credentials/myspace", """{"clientId":"a","clientSecret":"b"}""", "invalid_platform")]
    [InlineData("/api/credentials/youtube", """{"clientId":"a"}""", "invalid_credentials_format")]
    [InlineData("/api/credentials/youtube", """{"clientId":"","clientSecret":"b"}""", "invalid_credentials_format")]
    [InlineData("/api/credentials/youtube", """{"clientId":"a",""", "invalid_json")]
    public async Task Credentials_WithBadInput_Returns400(string path, string json, string code)
    {
        var user = await factory.CreateUserClientAsync();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await user.Http.PostAsync(path, content);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
        (await PlatformsWebFactory.StatusesAsync(user)).Should().BeEmpty("nothing is written on bad input");
    }

    [Theory]
    [InlineData("GET", "/api/credentials/status")]
    [InlineData("POST", "/api/credentials/youtube")]
    [InlineData("GET", "/api/auth/link/youtube")]
    [InlineData("DELETE", "/api/auth/link/youtube")]
    [InlineData("POST", "/api/sync/youtube")]
    [InlineData("GET", "/api/crm/performance?period=7d")]
    [InlineData("GET", "/api/admin/ingestion")]
    public async Task Endpoints_WithoutAccount_Return401(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? JsonContent.Create(new { clientId = "a", clientSecret = "b" }) : null,
        };
        var response = await factory.CreateApiClient().SendAsync(request);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Crm_WithNothingLinked_IsZeroKpisAndEmptyLists_AndBadPeriodIs400()
    {
        var user = await factory.CreateUserClientAsync();

        var crm = await CrmAsync(user, "90d");

        foreach (var key in new[] { "followers", "views", "likes", "comments", "shares", "engagementRate" })
        {
            crm.GetProperty("kpis").GetProperty(key).GetDouble().Should().Be(0);
            crm.GetProperty("deltas").GetProperty(key).GetDouble().Should().Be(0);
        }

        crm.GetProperty("series").GetArrayLength().Should().Be(0);
        crm.GetProperty("posts").GetArrayLength().Should().Be(0);
        await (await user.Http.GetAsync("/api/crm/performance?period=1y")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_period");
        await (await user.Http.GetAsync("/api/crm/export.csv?period=24h")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_period");
    }

    [Fact]
    public async Task Tenants_CannotSeeOrChangeEachOthersCredentialsLinksOrCrm()
    {
        var alice = await factory.CreateUserClientAsync();
        var bob = await factory.CreateUserClientAsync();
        var code = Code();
        await factory.LinkAsync(alice, Platform.TikTok, code, TikTokTokens(code));
        await factory.WaitForFinishedRunsAsync(alice.UserId, 1);

        (await PlatformsWebFactory.StatusesAsync(bob)).Should().BeEmpty();
        var bobCrm = await CrmAsync(bob);
        bobCrm.GetProperty("kpis").GetProperty("followers").GetInt64().Should().Be(0);
        bobCrm.GetProperty("posts").GetArrayLength().Should().Be(0);
        (await bob.Http.GetFromJsonAsync<List<JsonElement>>("/api/auth/links")).Should().BeEmpty();
        await (await bob.Http.DeleteAsync("/api/auth/link/tiktok")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "not_linked");
        await (await bob.Http.PostAsync("/api/sync/tiktok", null)).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "not_linked");
        await (await bob.Http.GetAsync("/api/auth/link/tiktok")).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "credentials_not_valid");
        await (await bob.Http.GetAsync("/api/admin/ingestion")).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden);

        // Bob storing his own (bad) TikTok app leaves Alice's untouched.
        await factory.StoreCredentialsAsync(bob, Platform.TikTok, secret: "wrong-secret");
        (await PlatformsWebFactory.StatusesAsync(alice)).Single().GetProperty("status").GetString().Should().Be("connected");
        (await CrmAsync(alice)).GetProperty("kpis").GetProperty("followers").GetInt64().Should().Be(777);
    }

    [Fact]
    public async Task SyncNow_Returns202_AndRunShowsInAdminIngestion()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        await factory.LinkAsync(user, Platform.YouTube, code, GoogleTokens(code));
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);

        var sync = await user.Http.PostAsync("/api/sync/youtube", null);

        sync.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await sync.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("platform").GetString().Should().Be("youtube");
        await factory.WaitForFinishedRunsAsync(user.UserId, 2);
        var admin = await factory.AdminClientAsync();
        await (await admin.Http.GetAsync("/api/admin/ingestion?platform=myspace")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_platform");
        var runs = await admin.Http.GetFromJsonAsync<List<JsonElement>>("/api/admin/ingestion?platform=youtube");
        var mine = runs!.Where(r => r.GetProperty("userId").GetString() == user.UserId).ToList();
        mine.Should().HaveCount(2);
        mine.Should().Contain(r => r.GetProperty("trigger").GetString() == "manual");
        mine.Should().OnlyContain(r => r.GetProperty("status").GetString() == "succeeded" && r.GetProperty("records").GetInt32() == 3
            && r.GetProperty("quotaUsed").GetInt32() == 3 && r.GetProperty("errors").GetInt32() == 0 && r.GetProperty("userEmail").GetString() == user.Email);
    }

    [Fact]
    public async Task EverySync_WritesOneSnapshotPerPost_WithThePostsNumbers()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        await factory.LinkAsync(user, Platform.YouTube, code, GoogleTokens(code));
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);
        (await user.Http.PostAsync("/api/sync/youtube", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await factory.WaitForFinishedRunsAsync(user.UserId, 2);

        var posts = await factory.WithDbAsync(db => db.PlatformPosts.AsNoTracking().Where(p => p.UserId == user.UserId).ToListAsync());
        var ids = posts.Select(p => p.Id).ToList();
        var snapshots = await factory.WithDbAsync(db => db.PostSnapshots.AsNoTracking().Where(s => ids.Contains(s.PlatformPostId)).ToListAsync());
        posts.Should().HaveCount(3);
        snapshots.GroupBy(s => s.PlatformPostId).Should().HaveCount(3).And.OnlyContain(g => g.Count() == 2);
        snapshots.Should().OnlyContain(s => s.Views == posts.Single(p => p.Id == s.PlatformPostId).Views && s.Likes == posts.Single(p => p.Id == s.PlatformPostId).Likes);
    }

    [Fact]
    public async Task Disconnect_RevokesAtGoogle_DeletesTokens_AndStatusFallsBackToValid()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        await factory.LinkAsync(user, Platform.YouTube, code, GoogleTokens(code));
        var accountId = await AccountIdAsync(user, Platform.YouTube);
        var before = await factory.WithDbAsync(db => db.PlatformAccounts.SingleAsync(a => a.Id == accountId));

        var response = await user.Http.DeleteAsync("/api/auth/link/youtube");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        factory.Platforms.LogEntries.Should().Contain(e => e.RequestMessage.Path == "/google/revoke" && e.RequestMessage.Body == "token=" + Uri.EscapeDataString("1//rt-" + code));
        var secrets = factory.Services.GetRequiredService<ISecretStore>();
        (await secrets.GetAsync(before.AccessTokenRef!)).Should().BeNull();
        (await secrets.GetAsync(before.RefreshTokenRef!)).Should().BeNull();
        (await PlatformsWebFactory.StatusesAsync(user)).Single().GetProperty("status").GetString().Should().Be("valid");
        await (await user.Http.PostAsync("/api/sync/youtube", null)).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "not_linked");
    }

    // ---- token refresh: the three styles -----------------------------------------------

    private async Task ExpireAsync(long accountId, DateTime expiresAt, DateTime? issuedAt = null) =>
        await factory.WithDbAsync(db => db.PlatformAccounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.AccessTokenExpiresAt, expiresAt)
            .SetProperty(a => a.AccessTokenIssuedAt, issuedAt ?? DateTime.UtcNow.AddHours(-2))));

    private async Task<(string? Access, string? Refresh)> TokensAsync(long accountId)
    {
        var account = await factory.WithDbAsync(db => db.PlatformAccounts.AsNoTracking().SingleAsync(a => a.Id == accountId));
        var secrets = factory.Services.GetRequiredService<ISecretStore>();
        return (await secrets.GetAsync(account.AccessTokenRef!), account.RefreshTokenRef is null ? null : await secrets.GetAsync(account.RefreshTokenRef));
    }

    [Fact]
    public async Task Refresh_Google_KeepsTheOldRefreshToken_WhenNoneIsReturned()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        await factory.LinkAsync(user, Platform.YouTube, code, GoogleTokens(code));
        var accountId = await AccountIdAsync(user, Platform.YouTube);
        factory.TokenAnswer(Platform.YouTube, "refresh_token", "1//rt-" + code, new { access_token = "ya29.refreshed-" + code, expires_in = 3599, scope = "https://www.googleapis.com/auth/youtube.readonly", token_type = "Bearer" });
        await ExpireAsync(accountId, DateTime.UtcNow.AddMinutes(-1));

        var token = await factory.Services.GetRequiredService<LinkedAccountService>().GetAccessTokenAsync(accountId, force: false, CancellationToken.None);

        token.Should().Be("ya29.refreshed-" + code);
        (await TokensAsync(accountId)).Should().Be(("ya29.refreshed-" + code, "1//rt-" + code));
    }

    [Fact]
    public async Task Refresh_TikTok_StoresTheRotatedRefreshToken_AndUsesItNextTime()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        await factory.LinkAsync(user, Platform.TikTok, code, TikTokTokens(code));
        var accountId = await AccountIdAsync(user, Platform.TikTok);
        factory.TokenAnswer(Platform.TikTok, "refresh_token", "rft." + code, TikTokTokens(code + "-2"));
        factory.TokenAnswer(Platform.TikTok, "refresh_token", "rft." + code + "-2", TikTokTokens(code + "-3"));
        var service = factory.Services.GetRequiredService<LinkedAccountService>();

        await ExpireAsync(accountId, DateTime.UtcNow.AddMinutes(-1));
        (await service.GetAccessTokenAsync(accountId, false, CancellationToken.None)).Should().Be("act." + code + "-2");
        (await TokensAsync(accountId)).Refresh.Should().Be("rft." + code + "-2");
        await ExpireAsync(accountId, DateTime.UtcNow.AddMinutes(-1));
        (await service.GetAccessTokenAsync(accountId, false, CancellationToken.None)).Should().Be("act." + code + "-3");
        (await TokensAsync(accountId)).Refresh.Should().Be("rft." + code + "-3");
    }

    [Fact]
    public async Task Refresh_Instagram_RefreshesTheLongLivedTokenBefore60Days_NotBefore24Hours()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        factory.InstagramLongLived("access_token", "IGshort-" + code, "IGlong-" + code);
        factory.InstagramLongLived("refresh_access_token", "IGlong-" + code, "IGlong2-" + code);
        await factory.LinkAsync(user, Platform.Instagram, code, new { access_token = "IGshort-" + code, user_id = 17841400000000009, permissions = new[] { "instagram_business_basic" } });
        var accountId = await AccountIdAsync(user, Platform.Instagram);
        var service = factory.Services.GetRequiredService<LinkedAccountService>();

        await ExpireAsync(accountId, DateTime.UtcNow.AddDays(5), issuedAt: DateTime.UtcNow.AddHours(-1));
        (await service.GetAccessTokenAsync(accountId, false, CancellationToken.None)).Should().Be("IGlong-" + code, "a token younger than 24 h cannot be refreshed");

        await ExpireAsync(accountId, DateTime.UtcNow.AddDays(5), issuedAt: DateTime.UtcNow.AddDays(-55));
        (await service.GetAccessTokenAsync(accountId, false, CancellationToken.None)).Should().Be("IGlong2-" + code);
        factory.Platforms.LogEntries.Should().Contain(e => e.RequestMessage.Path == "/graph/refresh_access_token" && e.RequestMessage.Query!["grant_type"].Single() == "ig_refresh_token");
    }

    [Fact]
    public async Task RevokedGrant_MarksReauthRequired_RecordsTheRun_AndStopsSyncing()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        await factory.LinkAsync(user, Platform.YouTube, code, GoogleTokens(code));
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);
        var accountId = await AccountIdAsync(user, Platform.YouTube);
        factory.TokenAnswer(Platform.YouTube, "refresh_token", "1//rt-" + code, new { error = "invalid_grant", error_description = "Token has been expired or revoked." }, 400);
        await ExpireAsync(accountId, DateTime.UtcNow.AddMinutes(-1));

        (await user.Http.PostAsync("/api/sync/youtube", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        await factory.WaitForFinishedRunsAsync(user.UserId, 2);
        var status = (await PlatformsWebFactory.StatusesAsync(user)).Single();
        status.GetProperty("status").GetString().Should().Be("reauth_required");
        var run = await factory.WithDbAsync(db => db.IngestionRuns.Where(r => r.UserId == user.UserId).OrderByDescending(r => r.Id).FirstAsync());
        run.Status.Should().Be(IngestionStatus.Failed);
        run.Error.Should().Contain("reauth_required");
        await (await user.Http.PostAsync("/api/sync/youtube", null)).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "reauth_required");
        (await CrmAsync(user)).GetProperty("kpis").GetProperty("followers").GetInt64().Should().Be(4321, "data fetched before is kept");
    }

    [Fact]
    public async Task Sync_WithTokenRefusedBeforeExpiry_RefreshesOnceAndCompletes()
    {
        var user = await factory.CreateUserClientAsync();
        var code = Code();
        var tikTokUser = Request.Create().WithPath("/tiktok/v2/user/info/").UsingGet().WithHeader("Authorization", "Bearer act." + code);
        factory.Platforms.Given(tikTokUser).AtPriority(1)
            .RespondWith(Jobs.LinkedAccounts.PlatformFakes.Json(Jobs.LinkedAccounts.PlatformFakes.TikTokError("access_token_invalid", "The access token is invalid or not found in the request."), 401));
        factory.TokenAnswer(Platform.TikTok, "refresh_token", "rft." + code, TikTokTokens(code + "-fresh"));

        await factory.LinkAsync(user, Platform.TikTok, code, TikTokTokens(code));
        await factory.WaitForFinishedRunsAsync(user.UserId, 1);

        var run = await factory.WithDbAsync(db => db.IngestionRuns.SingleAsync(r => r.UserId == user.UserId));
        run.Status.Should().Be(IngestionStatus.Succeeded, run.Error);
        run.Records.Should().Be(2);
        (await TokensAsync(await AccountIdAsync(user, Platform.TikTok))).Should().Be(("act." + code + "-fresh", "rft." + code + "-fresh"));
    }
}
