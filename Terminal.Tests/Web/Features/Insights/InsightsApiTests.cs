using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Insights;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Data.Insights;
using Terminal.Data.LinkedAccounts;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Billing;
using Terminal.Tests.Web.Features.Market;
using Terminal.Web.Features.Insights;

namespace Terminal.Tests.Web.Features.Insights;

/// <summary>A DEMO market (backfilled, not ticking) big enough for groups of 30+ clips.</summary>
public sealed class InsightsMarketFactory : DemoMarketFactory
{
    public InsightsMarketFactory()
    {
        Settings["Terminal:DemoFeed:Creators"] = "60";
    }
}

/// <summary>SPEC §10 endpoints over a DEMO market and a user's own posts.</summary>
public sealed class InsightsApiTests(InsightsMarketFactory factory) : IClassFixture<InsightsMarketFactory>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static async Task<JsonElement> PostJsonAsync(HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue("POST {0} answered {1}: {2}", url, response.StatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static PostFeatures Features(JsonElement f) => new(
        f.GetProperty("duration").GetString()!, int.Parse(f.GetProperty("hourOfWeek").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
        f.GetProperty("weekday").GetString()!, f.GetProperty("daypart").GetString()!, f.GetProperty("titleLength").GetString()!,
        f.GetProperty("titleHasNumber").GetString()!, f.GetProperty("titleHasQuestion").GetString()!, f.GetProperty("titleHasEmoji").GetString()!,
        f.GetProperty("hashtags").GetString()!, f.GetProperty("format").GetString()!, f.GetProperty("platform").GetString()!);

    [Fact]
    public async Task Patterns_Market_FindingsRecomputeFromTheReturnedRows_AndTheSameRequestGetsTheSameBody()
    {
        var user = await factory.ReadyUserAsync();

        using var first = await user.Http.PostAsJsonAsync("/api/insights/patterns", new { scope = "market", period = "30d", includeRows = true });
        var text = await first.Content.ReadAsStringAsync();
        first.StatusCode.Should().Be(HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        var rows = body.GetProperty("rows").EnumerateArray().ToList();
        rows.Should().NotBeEmpty();
        body.GetProperty("n").GetInt32().Should().Be(rows.Count);
        body.GetProperty("outcome").GetString().Should().Be("ln(views at 24h)");
        rows.Should().OnlyContain(r => r.GetProperty("entity").GetString()!.StartsWith("clip:", StringComparison.Ordinal)
            && Math.Abs(r.GetProperty("outcome").GetDouble() - Math.Log(Math.Max(r.GetProperty("viewsAtAge").GetDouble(), 1))) < 1e-9);

        // Anyone can recompute every finding from the rows.
        var recomputed = PatternDetector.Detect(rows.Select(r => new InsightRow(r.GetProperty("entity").GetString()!, r.GetProperty("creatorId").GetInt32(), Features(r.GetProperty("features")), r.GetProperty("viewsAtAge").GetDouble())).ToList());
        var findings = body.GetProperty("findings").Deserialize<List<Finding>>(Web)!;
        findings.Should().Equal(recomputed.Findings);
        findings.Should().Contain(f => f.Effect != null, "the market has groups of 30+ clips");
        findings.Where(f => f.Effect != null).Should().OnlyContain(f => f.Low <= f.Effect && f.Effect <= f.High);
        findings.Where(f => f.Effect != null).Should().OnlyContain(f => f.AdjustedEffect != null && f.AdjustedLow <= f.AdjustedEffect && f.AdjustedEffect <= f.AdjustedHigh,
            "every judged group also carries the log-linear model's effect with its interval");
        findings.Where(f => f.Effect == null).Should().OnlyContain(f => f.Note == PatternDetector.NotEnoughData && f.Q == null && !f.Significant);
        var facts = InsightWriter.FactsOf(findings).ToArray();
        foreach (var sentence in body.GetProperty("insights").EnumerateArray().Select(s => s.GetString()!))
        {
            InsightWriter.UnsupportedNumbers(sentence, facts, InsightWriter.LabelsOf(findings)).Should().BeEmpty(sentence);
            if (sentence.StartsWith('"'))
            {
                InsightWriter.LabelsOf(findings).Should().Contain(sentence.Split('"')[1], "sentences name groups by the labels the UI shows, not raw keys");
            }
        }

        var again = await (await user.Http.PostAsJsonAsync("/api/insights/patterns", new { scope = "market", period = "30d", includeRows = true })).Content.ReadAsStringAsync();
        again.Should().Be(text, "the same request within 60 s returns the same body");

        var withoutRows = await PostJsonAsync(user.Http, "/api/insights/patterns", new { scope = "market", period = "30d" });
        withoutRows.TryGetProperty("rows", out _).Should().BeFalse();
        withoutRows.GetProperty("generatedAt").GetDateTime().Should().Be(body.GetProperty("generatedAt").GetDateTime());
    }

    [Fact]
    public async Task Patterns_Csv_ExportsTheSameRows()
    {
        var user = await factory.ReadyUserAsync();
        var json = await PostJsonAsync(user.Http, "/api/insights/patterns", new { scope = "market", includeRows = true });

        using var response = await user.Http.PostAsJsonAsync("/api/insights/patterns?format=csv", new { scope = "market" });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Trim().Should().Be("entity,creatorId,viewsAtAge,outcome,duration,hourOfWeek,weekday,daypart,titleLength,titleHasNumber,titleHasQuestion,titleHasEmoji,hashtags,format,platform");
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().Equal(json.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("entity").GetString()));

        using var accept = new HttpRequestMessage(HttpMethod.Post, "/api/insights/patterns") { Content = JsonContent.Create(new { scope = "market" }) };
        accept.Headers.Accept.ParseAdd("text/csv");
        using var viaAccept = await user.Http.SendAsync(accept);
        (await viaAccept.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(lines.Length);
    }

    [Theory]
    [InlineData("/api/insights/outliers?scope=everyone", "invalid_scope")]
    [InlineData("/api/insights/outliers?platform=myspace", "invalid_platform")]
    [InlineData("/api/insights/outliers?period=2d", "invalid_period")]
    [InlineData("/api/opportunities?period=week", "invalid_period")]
    [InlineData("/api/insights/best-times?platform=vine", "invalid_platform")]
    public async Task BadQuery_Is400_WithTheErrorBody(string url, string code)
    {
        var user = await factory.CreateUserClientAsync();
        await (await user.Http.GetAsync(url)).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("/ext-api/v1/outliers?platform=myspace", "invalid_platform")]
    [InlineData("/ext-api/v1/outliers?period=2d", "invalid_period")]
    [InlineData("/ext-api/v1/opportunities?platform=vine", "invalid_platform")]
    [InlineData("/ext-api/v1/opportunities?period=week", "invalid_period")]
    public async Task ExternalApi_BadQuery_Is400_WithTheSameCodes(string url, string code)
    {
        var keyClient = await KeyClientAsync(await factory.CreateUserClientAsync());

        await (await keyClient.GetAsync(url)).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
    }

    /// <summary>An external-API client with a new key of <paramref name="user"/>.</summary>
    private async Task<HttpClient> KeyClientAsync(AuthenticatedClient user)
    {
        var created = await (await user.Http.PostAsJsonAsync("/api/keys", new { name = "insights" })).Content.ReadFromJsonAsync<ApiKeyApiTests.CreatedKeyDto>();
        var keyClient = factory.CreateApiClient();
        keyClient.DefaultRequestHeaders.Add("X-Api-Key", created!.Key);
        return keyClient;
    }

    [Fact]
    public async Task BadPatternsBody_Is400_WithTheErrorBody()
    {
        var user = await factory.CreateUserClientAsync();
        await (await user.Http.PostAsJsonAsync("/api/insights/patterns", new { scope = "galaxy" })).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
        await (await user.Http.PostAsJsonAsync("/api/insights/patterns?format=xml", new { scope = "market" })).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_format");
        await (await user.Http.PostAsJsonAsync("/api/insights/recommendations", new { scope = "market", platform = "orkut" })).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_platform");
    }

    [Fact]
    public async Task Insights_NeedASignedInUser()
    {
        var anonymous = factory.CreateApiClient();
        (await anonymous.GetAsync("/api/insights/outliers")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/ext-api/v1/outliers")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Outliers_Market_AreViewsOverBaseline_HighestFirst_AndTheExternalApiReturnsTheSame()
    {
        var user = await factory.ReadyUserAsync();
        var outliers = await DemoMarketFactory.GetAsync<List<OutlierDto>>(user.Http, "/api/insights/outliers?scope=market&period=30d");

        outliers.Should().NotBeEmpty();
        outliers!.Select(o => o.Ratio).Should().BeInDescendingOrder();
        outliers.Should().OnlyContain(o => o.Entity.StartsWith("clip:") && Math.Abs(o.Ratio - (o.Views / o.Baseline)) < 1e-9 && o.Low <= o.Ratio && o.Ratio <= o.High && o.AgeHours == 24);

        var keyClient = await KeyClientAsync(user);
        var external = await keyClient.GetStringAsync("/ext-api/v1/outliers?period=30d");
        var internalBody = await user.Http.GetStringAsync("/api/insights/outliers?scope=market&period=30d");
        external.Should().Be(internalBody);
        var opportunities = await keyClient.GetStringAsync("/ext-api/v1/opportunities?period=24h");
        opportunities.Should().Be(await user.Http.GetStringAsync("/api/opportunities?period=24h"));
    }

    [Fact]
    public async Task Opportunities_HaveGapsOnTheZeroToHundredScale_WithIntervals_HighestFirst()
    {
        var user = await factory.ReadyUserAsync();
        var rows = (await DemoMarketFactory.GetJsonAsync(user.Http, "/api/opportunities?period=7d")).EnumerateArray().ToList();

        rows.Should().NotBeEmpty();
        rows.Select(r => r.GetProperty("gap").GetDouble()).Should().BeInDescendingOrder();
        rows.Should().OnlyContain(r => r.GetProperty("gap").GetDouble() >= 0 && r.GetProperty("gap").GetDouble() <= 100
            && r.GetProperty("low").GetDouble() <= r.GetProperty("gap").GetDouble() && r.GetProperty("gap").GetDouble() <= r.GetProperty("high").GetDouble()
            && r.GetProperty("ideas").GetArrayLength() > 0 && r.GetProperty("topic").GetString()!.Length > 0);
        rows.Max(r => r.GetProperty("gap").GetDouble()).Should().Be(100);
    }

    [Fact]
    public async Task Mine_ReadsOnlyTheCallersPosts_ViewsAt24hFromPostSnapshots()
    {
        var user = await factory.CreateUserClientAsync();
        var other = await factory.CreateUserClientAsync();
        var now = DateTime.UtcNow;
        await SeedPostsAsync(user.UserId, now, spikeViews: 10_000);
        await SeedPostsAsync(other.UserId, now, spikeViews: 50_000);

        var outliers = await DemoMarketFactory.GetAsync<List<OutlierDto>>(user.Http, "/api/insights/outliers?scope=mine&period=30d");
        var myPosts = await WithDbAsync(db => db.PlatformPosts.Where(p => p.UserId == user.UserId).Select(p => p.Id).ToListAsync());
        outliers.Should().NotBeEmpty().And.OnlyContain(o => myPosts.Select(id => "post:" + id).Contains(o.Entity));
        var top = outliers![0];
        top.Title.Should().Be("spike");
        top.Views.Should().BeApproximately(10_000, 1e-6, "read at 24 h on the line between the 12 h and 36 h snapshots");
        top.Baseline.Should().BeApproximately(1_000, 1e-6);
        top.Ratio.Should().BeApproximately(10, 1e-9);

        var patterns = await PostJsonAsync(user.Http, "/api/insights/patterns", new { scope = "mine", includeRows = true });
        patterns.GetProperty("rows").EnumerateArray().Should().HaveCount(24, "the oldest post was published 31 days ago, outside the default 30d")
            .And.OnlyContain(r => myPosts.Select(id => "post:" + id).Contains(r.GetProperty("entity").GetString()));
        var features = patterns.GetProperty("rows").EnumerateArray().Select(r => Features(r.GetProperty("features"))).ToList();
        features.Count(f => f is { Format: "short", Duration: "20-40s" }).Should().Be(12, "the stored format and duration are the features");
        features.Count(f => f is { Format: "long", Duration: "unknown" }).Should().Be(12, "no stored format: YouTube's usual long form, length unknown");

        var best = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/insights/best-times");
        best.GetProperty("posts").GetInt32().Should().Be(25);
        best.GetProperty("hours").GetArrayLength().Should().Be(168);
        best.GetProperty("note").GetString().Should().Be(BestTimes.NotEnoughPosts, "25 posts over many hours leave every hour under 5");
    }

    [Fact]
    public async Task Recommendations_Offline_OnlyRestateTheirFacts()
    {
        var user = await factory.ReadyUserAsync();
        var body = await PostJsonAsync(user.Http, "/api/insights/recommendations", new { scope = "market" });

        body.GetProperty("model").GetString().Should().Be("offline");
        var items = body.GetProperty("items").EnumerateArray().ToList();
        items.Should().NotBeEmpty();
        foreach (var item in items)
        {
            var facts = item.GetProperty("facts").EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            facts.Should().NotBeEmpty();
            var text = item.GetProperty("title").GetString() + " " + item.GetProperty("why").GetString();
            var labels = System.Text.RegularExpressions.Regex.Matches(text, "\"([^\"]*)\"").Select(m => m.Groups[1].Value);
            InsightWriter.UnsupportedNumbers(text, facts, labels).Should().BeEmpty(text);
        }
    }

    [Fact]
    public async Task RefreshJob_ComputesEveryMarketRequest_WithProgress_AndTheApiServesItsResult()
    {
        var user = await factory.ReadyUserAsync();
        var progress = factory.Services.GetRequiredService<InsightsRefreshProgress>();
        var before = progress.LastFinishedAt;
        var scheduler = await factory.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();

        await scheduler.TriggerJob(InsightsRefreshJob.Key);

        await Wait.UntilAsync(() => progress.LastFinishedAt != before && progress.LastFinishedAt is not null, TimeSpan.FromSeconds(120), "the refresh job finishes");
        progress.Total.Should().Be(InsightsRefreshJob.MarketRequests.Count * 2);
        progress.Done.Should().Be(progress.Total);
        var cached = await factory.Services.GetRequiredService<InsightsService>().PatternsAsync(new InsightRequest(InsightScope.Market, Platform.YouTube, Period.Week, null));
        var api = await PostJsonAsync(user.Http, "/api/insights/patterns", new { scope = "market", platform = "youtube", period = "7d" });
        api.GetProperty("generatedAt").GetDateTime().Should().Be(cached.GeneratedAt);
        api.GetProperty("n").GetInt32().Should().Be(cached.N);
    }

    internal async Task SeedPostsAsync(string userId, DateTime now, double spikeViews)
    {
        await WithDbAsync(async db =>
        {
            var account = new PlatformAccount { UserId = userId, Platform = Platform.YouTube, Status = LinkStatus.Connected, LinkedAt = now.AddDays(-40) };
            db.PlatformAccounts.Add(account);
            await db.SaveChangesAsync();
            // 25 posts a day apart (hours drifting by 5 h), 1,000 views at 24 h each except the newest "spike".
            var posts = Enumerable.Range(0, 25).Select(k => new PlatformPost
            {
                UserId = userId, PlatformAccountId = account.Id, Platform = Platform.YouTube, ExternalId = $"v{k}",
                Title = k == 0 ? "spike" : $"post {k}", PublishedAt = now.AddDays(-2 - k).AddHours(-5 * k), Views = 1, FetchedAt = now,
                // Even posts as a sync stores a 30 s Short; odd ones as stored before formats were read.
                Format = k % 2 == 0 ? PostFormat.ShortForm : null, DurationSeconds = k % 2 == 0 ? 30 : null,
            }).ToList();
            db.PlatformPosts.AddRange(posts);
            await db.SaveChangesAsync();
            foreach (var post in posts)
            {
                var views = post.Title == "spike" ? spikeViews : 1_000;
                db.PostSnapshots.Add(new PostSnapshot { PlatformPostId = post.Id, At = post.PublishedAt.AddHours(12), Views = (long)(views / 2) });
                db.PostSnapshots.Add(new PostSnapshot { PlatformPostId = post.Id, At = post.PublishedAt.AddHours(36), Views = (long)(views * 1.5) });
            }

            await db.SaveChangesAsync();
            return 0;
        });
    }

    private async Task<T> WithDbAsync<T>(Func<TerminalDbContext, Task<T>> work)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        return await work(db);
    }

    public sealed record OutlierDto(string Entity, string Title, int CreatorId, double AgeHours, double Views, double Baseline, double Ratio, double Low, double High);
}
