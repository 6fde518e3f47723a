using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Data;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Billing;

namespace Terminal.Tests.Web.Features.Api;

/// <summary>Answers every trend query with one row that echoes the query, and records the queries.</summary>
public sealed class FakeTrendReader : ITrendReader
{
    /// <summary>A <c>search</c> value that makes <see cref="Query"/> throw a framework 400.</summary>
    public const string ThrowSearch = "fake-reader-throws";

    public List<TrendQuery> Queries { get; } = [];

    public TrendResult Query(TrendQuery query)
    {
        lock (Queries)
        {
            Queries.Add(query);
        }

        if (query.Search == ThrowSearch)
        {
            // A failure that is not the product's TerminalException (the exception handler writes it as 400).
            throw new Microsoft.AspNetCore.Http.BadHttpRequestException("The fake trend reader refused this query.", 400);
        }

        var items = Enumerable.Range(1, Math.Min(query.Limit, 3))
            .Select(i => new TrendItem(i, 100 + i, $"{query.Kind.ToWire()}-{i}", query.Platform ?? Platform.TikTok, 1000.5 / i, 0.25, 90 - i, 7, [1, 2, 3]))
            .ToList();
        return new TrendResult(items, new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc));
    }
}

/// <summary>The app with a fake trend engine and tiny per-plan limits (Free 3/min, Pro 5/min).</summary>
public sealed class ExternalApiFactory : TerminalWebFactory
{
    public ExternalApiFactory()
    {
        Settings["Terminal:Plans:Free:ApiRequestsPerMinute"] = "3";
        Settings["Terminal:Plans:Pro:ApiRequestsPerMinute"] = "5";
        ServiceOverrides.Add(services => services.AddSingleton<ITrendReader>(Trends));
    }

    public FakeTrendReader Trends { get; } = new();
}

public sealed class ExternalApiTests(ExternalApiFactory factory) : IClassFixture<ExternalApiFactory>
{
    private async Task<HttpClient> KeyClientAsync(AuthenticatedClient? owner = null)
    {
        owner ??= await factory.CreateUserClientAsync();
        var created = await (await owner.Http.PostAsJsonAsync("/api/keys", new { name = "integration" })).Content.ReadFromJsonAsync<ApiKeyApiTests.CreatedKeyDto>();
        var client = factory.CreateApiClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", created!.Key);
        return client;
    }

    private Task<AuthenticatedClient> AdminAsync() => factory.AdminClientAsync();

    [Fact]
    public async Task Trends_WithKey_ReturnsTrendBody_AndPassesTheQuery()
    {
        var client = await KeyClientAsync();
        var response = await client.GetAsync("/ext-api/v1/trends?type=clips&platform=youtube&period=7d&limit=2");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);

        using var doc = JsonDocument.Parse(text);
        doc.RootElement.GetProperty("generatedAt").GetString().Should().Be("2026-11-25T12:00:00Z");
        var first = doc.RootElement.GetProperty("data")[0];
        first.GetProperty("rank").GetInt32().Should().Be(1);
        first.GetProperty("platform").GetString().Should().Be("youtube");
        first.GetProperty("clipperCount").GetInt32().Should().Be(7);
        first.GetProperty("sparkline").GetArrayLength().Should().Be(3);
        doc.RootElement.GetProperty("data").GetArrayLength().Should().Be(2);
        lock (factory.Trends.Queries)
        {
            factory.Trends.Queries.Should().ContainEquivalentOf(new TrendQuery(EntityKind.Clip, Platform.YouTube, Period.Week, 2));
        }
    }

    [Fact]
    public async Task Trends_HasExactlyTheBodyOfTheAnalyticsEndpoint()
    {
        var owner = await factory.CreateUserClientAsync();
        var client = await KeyClientAsync(owner);
        const string query = "?type=topics&platform=all&period=30d&limit=3";

        var external = await client.GetStringAsync("/ext-api/v1/trends" + query);
        var analytics = await owner.Http.GetStringAsync("/api/analytics/trends" + query);

        external.Should().Be(analytics);
    }

    [Theory]
    [InlineData("type=people")]
    [InlineData("platform=myspace")]
    [InlineData("period=2d")]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("limit=ten")]
    public async Task Trends_WithBadParameter_Returns400(string query)
    {
        var client = await KeyClientAsync();
        var response = await client.GetAsync("/ext-api/v1/trends?" + query);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WithoutKey_Returns401()
    {
        var response = await factory.CreateApiClient().GetAsync("/ext-api/v1/trends");
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task WithUnknownKey_Returns401()
    {
        var client = factory.CreateApiClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "ct_" + new string('A', 43));
        await (await client.GetAsync("/ext-api/v1/trends")).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task BearerToken_IsNotAnApiKey()
    {
        var user = await factory.CreateUserClientAsync();
        await (await user.Http.GetAsync("/ext-api/v1/trends")).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task FreePlan_FourthRequestInAMinute_Gets429WithRetryAfter()
    {
        var client = await KeyClientAsync();
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("/ext-api/v1/trends")).StatusCode.Should().Be(HttpStatusCode.OK, $"request {i + 1} is within the Free limit of 3");
        }

        var limited = await client.GetAsync("/ext-api/v1/trends");
        await limited.ShouldBeApiErrorAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        retryAfter.Should().BeInRange(1, 60);
    }

    [Fact]
    public async Task Limits_ArePerUser_AllKeysShareThem()
    {
        var owner = await factory.CreateUserClientAsync();
        var first = await KeyClientAsync(owner);
        var second = await KeyClientAsync(owner);
        for (var i = 0; i < 3; i++)
        {
            (await first.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await first.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await second.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "a second key of the same user shares the limit");
        var other = await KeyClientAsync();
        (await other.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK, "another user has a limit of their own");
    }

    [Fact]
    public async Task RevokingAndRecreatingAKey_DoesNotResetTheLimit()
    {
        var owner = await factory.CreateUserClientAsync();
        var created = await (await owner.Http.PostAsJsonAsync("/api/keys", new { name = "old" })).Content.ReadFromJsonAsync<ApiKeyApiTests.CreatedKeyDto>();
        var old = factory.CreateApiClient();
        old.DefaultRequestHeaders.Add("X-Api-Key", created!.Key);
        for (var i = 0; i < 3; i++)
        {
            (await old.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await owner.Http.DeleteAsync($"/api/keys/{created.Id}")).IsSuccessStatusCode.Should().BeTrue();
        var fresh = await KeyClientAsync(owner);
        (await fresh.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
    }

    private static long Header(HttpResponseMessage response, string name) =>
        long.Parse(response.Headers.GetValues(name).Single(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task EveryAnswer_CarriesTheRateLimitHeaders_CountingDown()
    {
        var client = await KeyClientAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var first = await client.GetAsync("/ext-api/v1/trends");
        var second = await client.GetAsync("/ext-api/v1/vods");
        var third = await client.GetAsync("/ext-api/v1/trends?type=bogus");
        var limited = await client.GetAsync("/ext-api/v1/trends");

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        Header(first, "X-RateLimit-Limit").Should().Be(3);
        Header(first, "X-RateLimit-Remaining").Should().Be(2);
        Header(second, "X-RateLimit-Remaining").Should().Be(1, "both endpoints draw on the same budget");
        Header(third, "X-RateLimit-Remaining").Should().Be(0, "a refused query still counts");
        Header(first, "X-RateLimit-Reset").Should().BeInRange(before, before + 61);
        Header(limited, "X-RateLimit-Remaining").Should().Be(0);
        Header(limited, "X-RateLimit-Reset").Should().Be(Header(first, "X-RateLimit-Reset"), "the window does not move while it is used up");
        await limited.ShouldBeApiErrorAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Theory]
    [InlineData("type=bogus", "invalid_type")]
    [InlineData("search=" + FakeTrendReader.ThrowSearch, "bad_request")]
    public async Task AnswerThatFailsByThrowing_StillCarriesTheRateLimitHeaders(string query, string code)
    {
        var client = await KeyClientAsync();

        var failed = await client.GetAsync("/ext-api/v1/trends?" + query);

        await failed.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
        Header(failed, "X-RateLimit-Limit").Should().Be(3);
        Header(failed, "X-RateLimit-Remaining").Should().Be(2, "the refused query counts");
        Header(failed, "X-RateLimit-Reset").Should().BeGreaterThan(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1);
    }

    [Theory]
    [InlineData("/ext-api/v1/trends")]
    [InlineData("/ext-api/v1/vods")]
    public async Task ExternalEndpoints_DocumentTheRateLimitHeaders(string path)
    {
        using var doc = JsonDocument.Parse(await factory.CreateApiClient().GetStringAsync("/openapi/v1.json"));
        var responses = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses");
        foreach (var code in new[] { "200", "429" })
        {
            var headers = responses.GetProperty(code).GetProperty("headers");
            foreach (var name in new[] { "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset" })
            {
                headers.TryGetProperty(name, out _).Should().BeTrue($"{path} {code} documents {name}");
            }
        }

        responses.GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _).Should().BeTrue();
    }

    [Fact]
    public async Task ProPlan_GetsItsLargerLimit()
    {
        var owner = await factory.CreateUserClientAsync();
        var admin = await AdminAsync();
        (await admin.Http.PutAsJsonAsync($"/api/admin/users/{owner.UserId}/plan", new { plan = "pro" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var client = await KeyClientAsync(owner);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await client.GetAsync("/ext-api/v1/trends")).StatusCode);
        }

        statuses.Should().Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task PlanUpgrade_AppliesToAKeyAlreadyInUse()
    {
        var owner = await factory.CreateUserClientAsync();
        var client = await KeyClientAsync(owner);
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await client.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "Free allows 3 a minute here");
        var admin = await AdminAsync();
        (await admin.Http.PutAsJsonAsync($"/api/admin/users/{owner.UserId}/plan", new { plan = "pro" })).StatusCode.Should().Be(HttpStatusCode.OK);

        (await client.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK, "the Pro window (5 a minute) starts with the upgrade");
    }

    [Fact]
    public async Task Vods_FiltersByCreatorAndSince()
    {
        var creatorId = Random.Shared.Next(10_000, 1_000_000);
        await SeedVodsAsync(creatorId);
        var client = await KeyClientAsync();

        var all = await client.GetFromJsonAsync<JsonElement[]>($"/ext-api/v1/vods?creatorId={creatorId}");
        all!.Select(v => v.GetProperty("title").GetString()).Should().Equal("new", "old");
        all![0].GetProperty("status").GetString().Should().Be("ready");
        all[0].GetProperty("creatorId").GetInt32().Should().Be(creatorId);
        all[0].TryGetProperty("sourceUrl", out _).Should().BeFalse("sources stay internal");

        var recent = await client.GetFromJsonAsync<JsonElement[]>($"/ext-api/v1/vods?creatorId={creatorId}&since=2026-11-20T00:00:00Z");
        recent!.Select(v => v.GetProperty("title").GetString()).Should().Equal("new");

        var another = await KeyClientAsync(); // the Free limit here is 3 requests a minute per key
        await (await another.GetAsync("/ext-api/v1/vods?since=yesterday")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_since");
        await (await another.GetAsync("/ext-api/v1/vods?creatorId=abc")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_creator_id");
    }

    private async Task SeedVodsAsync(int creatorId)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        var topicId = Random.Shared.Next(10_000, 1_000_000);
        db.Topics.Add(new Topic { Id = topicId, Slug = $"t{topicId}", Name = "Test topic" });
        db.Creators.Add(new Creator { Id = creatorId, Handle = $"c{creatorId}", DisplayName = "Creator", Platform = Platform.YouTube, TopicId = topicId, CreatedAt = DateTime.UtcNow });
        db.Vods.Add(new Vod { Id = Guid.NewGuid(), CreatorId = creatorId, Title = "old", SourceUrl = "https://example.test/old.mp4", PublishedAt = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), Status = VodStatus.Ready, CreatedAt = DateTime.UtcNow });
        db.Vods.Add(new Vod { Id = Guid.NewGuid(), CreatorId = creatorId, Title = "new", SourceUrl = "https://example.test/new.mp4", PublishedAt = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc), Status = VodStatus.Ready, DurationSeconds = 3600, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }
}

public sealed class OpenApiDocumentTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Fact]
    public async Task Document_IsAnonymous_AndDescribesBillingKeysAdminAndExternalApi()
    {
        var response = await factory.CreateApiClient().GetAsync("/openapi/v1.json");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        using var doc = JsonDocument.Parse(text);
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[]
                 {
                     "/ext-api/v1/trends", "/ext-api/v1/vods", "/api/keys", "/api/keys/{id}", "/api/billing/plans", "/api/billing/checkout",
                     "/api/billing/portal", "/api/billing/webhook", "/api/admin/jobs", "/api/admin/jobs/{group}/{key}/trigger", "/api/admin/users",
                     "/api/admin/users/{id}/plan",
                 })
        {
            paths.TryGetProperty(path, out _).Should().BeTrue($"{path} is documented");
        }

        paths.GetProperty("/ext-api/v1/trends").GetProperty("get").GetProperty("summary").GetString().Should().NotBeNullOrWhiteSpace();
        var scheme = doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        scheme.GetProperty("type").GetString().Should().Be("apiKey");
        scheme.GetProperty("in").GetString().Should().Be("header");
        scheme.GetProperty("name").GetString().Should().Be("X-Api-Key");
        paths.GetProperty("/ext-api/v1/vods").GetProperty("get").GetProperty("security")[0].TryGetProperty("ApiKey", out _).Should().BeTrue();
    }

    [Fact]
    public async Task ScalarReference_IsServedAnonymously()
    {
        var response = await factory.CreateApiClient().GetAsync("/scalar/v1");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("openapi/v1.json");
    }

    [Theory]
    [InlineData("/ext-api/v1/trends")]
    [InlineData("/ext-api/v1/vods")]
    public async Task ExternalEndpoints_DocumentSuccessBadInputMissingKeyAndRateLimit(string path)
    {
        using var doc = JsonDocument.Parse(await factory.CreateApiClient().GetStringAsync("/openapi/v1.json"));
        var responses = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses");
        foreach (var code in new[] { "200", "400", "401", "429" })
        {
            responses.TryGetProperty(code, out var response).Should().BeTrue($"{path} documents {code}");
            response.TryGetProperty("content", out _).Should().BeTrue($"{path} {code} documents its body");
        }
    }

    [Fact]
    public async Task Vods_DocumentsItsTwoQueryParameters_AsOptionalStrings()
    {
        using var doc = JsonDocument.Parse(await factory.CreateApiClient().GetStringAsync("/openapi/v1.json"));
        var parameters = doc.RootElement.GetProperty("paths").GetProperty("/ext-api/v1/vods").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().ToList();

        parameters.Select(p => p.GetProperty("name").GetString()).Should().BeEquivalentTo("creatorId", "since");
        parameters.Should().OnlyContain(p => p.GetProperty("in").GetString() == "query");
        foreach (var parameter in parameters)
        {
            (parameter.TryGetProperty("required", out var required) && required.GetBoolean()).Should().BeFalse("both are optional");
        }
    }

    [Fact]
    public async Task Vods_DocumentsABareArrayOfVods()
    {
        using var doc = JsonDocument.Parse(await factory.CreateApiClient().GetStringAsync("/openapi/v1.json"));
        var schema = doc.RootElement.GetProperty("paths").GetProperty("/ext-api/v1/vods").GetProperty("get").GetProperty("responses")
            .GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        schema.GetProperty("type").GetString().Should().Be("array");
    }

    [Fact]
    public async Task ScalarReference_IsDarkAndQuiet()
    {
        var html = await factory.CreateApiClient().GetStringAsync("/scalar/v1");
        // The configuration the page hands to the bundle: terminal colours, no vendor fonts, AI chat, MCP, telemetry or dev-tools bar.
        html.Should().Contain("--scalar-background-1: #050607");
        html.Should().MatchRegex("\"withDefaultFonts\":\\s*false");
        html.Should().MatchRegex("\"showDeveloperTools\":\\s*\"never\"");
        html.Should().MatchRegex("\"telemetry\":\\s*false");
        html.Should().MatchRegex("\"forceDarkModeState\":\\s*\"dark\"");
        html.Should().NotContain("fonts.googleapis").And.NotContain("cdn.jsdelivr");
    }
}
