using System.Globalization;
using System.Net;
using System.Text.Json;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Market;

public sealed class MarketApiTests(DemoMarketFactory factory) : IClassFixture<DemoMarketFactory>
{
    [Fact]
    public async Task Trends_ReturnsRankedItems_InTheSpecShape()
    {
        var user = await factory.ReadyUserAsync();

        var body = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/analytics/trends?type=creators&platform=all&period=24h&limit=5");

        var data = body.GetProperty("data").EnumerateArray().ToList();
        data.Should().HaveCount(5);
        data.Select(d => d.GetProperty("rank").GetInt32()).Should().Equal(1, 2, 3, 4, 5);
        foreach (var item in data)
        {
            item.GetProperty("platform").GetString().Should().BeOneOf("tiktok", "instagram", "youtube");
            item.GetProperty("name").GetString().Should().NotBeNullOrWhiteSpace();
            item.GetProperty("velocity").ValueKind.Should().Be(JsonValueKind.Number);
            item.TryGetProperty("change", out _).Should().BeTrue();
            item.GetProperty("heat").GetDouble().Should().BeInRange(0, 100);
            item.GetProperty("clipperCount").GetInt32().Should().BeGreaterThanOrEqualTo(0);
            item.GetProperty("sparkline").GetArrayLength().Should().Be(12);
        }

        data.Select(d => d.GetProperty("heat").GetDouble()).Should().BeInDescendingOrder();
        DateTime.Parse(body.GetProperty("generatedAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).Kind.Should().Be(DateTimeKind.Utc);
    }

    [Fact]
    public async Task Trends_DefaultsToFiftyItems_AndFiltersByPlatform()
    {
        var user = await factory.ReadyUserAsync();

        var clips = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/analytics/trends?type=clips&platform=all&period=30d");
        clips.GetProperty("data").GetArrayLength().Should().Be(50);

        var youtube = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/analytics/trends?type=clips&platform=YouTube&period=30d&limit=500");
        youtube.GetProperty("data").EnumerateArray().Should().NotBeEmpty()
            .And.OnlyContain(i => i.GetProperty("platform").GetString() == "youtube");
    }

    [Theory]
    [InlineData("type=videos&platform=all&period=24h", "invalid_type")]
    [InlineData("type=clips&platform=myspace&period=24h", "invalid_platform")]
    [InlineData("type=clips&platform=all&period=2h", "invalid_period")]
    [InlineData("type=clips&platform=all&period=24h&limit=0", "invalid_limit")]
    [InlineData("type=clips&platform=all&period=24h&limit=501", "invalid_limit")]
    [InlineData("type=clips&platform=all&period=24h&limit=ten", "invalid_limit")]
    public async Task Trends_WithBadParameters_Returns400(string query, string code)
    {
        var user = await factory.ReadyUserAsync();
        var response = await user.Http.GetAsync($"/api/analytics/trends?{query}");
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Trends_NicheFilter_KeepsOnlyRelatedEntities_AndSearchFiltersByName()
    {
        var user = await factory.ReadyUserAsync();
        var topics = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/analytics/trends?type=topics&period=30d");
        var topicId = topics.GetProperty("data")[0].GetProperty("id").GetInt32();

        var niche = await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/analytics/trends?type=clips&period=30d&limit=500&topic={topicId}");
        niche.GetProperty("data").GetArrayLength().Should().BeGreaterThan(0);
        niche.GetProperty("data").EnumerateArray().Should().OnlyContain(i => i.GetProperty("topicId").GetInt32() == topicId || i.GetProperty("heat").GetDouble() <= 50);

        var all = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/analytics/trends?type=creators&period=24h&limit=500");
        var name = all.GetProperty("data")[3].GetProperty("name").GetString()!;
        var found = await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/analytics/trends?type=creators&period=24h&search={Uri.EscapeDataString(name)}");
        found.GetProperty("data").EnumerateArray().Should().Contain(i => i.GetProperty("name").GetString() == name && i.GetProperty("rank").GetInt32() == 4);

        await (await user.Http.GetAsync("/api/analytics/trends?type=clips&topic=abc")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_topic");
    }

    [Fact]
    public async Task Trends_WithoutAnAccount_Returns401()
    {
        var response = await factory.CreateApiClient().GetAsync("/api/analytics/trends?type=clips");
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("creators")]
    [InlineData("clips")]
    [InlineData("topics")]
    public async Task TrendVelocities_EqualARecomputationFromTheTimeseries(string type)
    {
        var user = await factory.ReadyUserAsync();
        var trends = await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/analytics/trends?type={type}&platform=all&period=24h&limit=25");
        var now = trends.GetProperty("generatedAt").GetDateTime().ToUniversalTime();
        var singular = type[..^1];

        foreach (var item in trends.GetProperty("data").EnumerateArray())
        {
            var id = item.GetProperty("id").GetInt32();
            var series = await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/analytics/timeseries?entity={singular}:{id}&metric=views&period=30d");
            var points = series.GetProperty("points").EnumerateArray()
                .Select(p => (T: p.GetProperty("t").GetDateTime().ToUniversalTime(), V: p.GetProperty("v").GetDouble()))
                .ToList();
            points.Select(p => p.T).Should().BeInAscendingOrder();

            // m(e, t): latest reading at or before t; the earliest when none is (flat backwards).
            double M(DateTime t) => points.LastOrDefault(p => p.T <= t) is { T.Ticks: > 0 } hit ? hit.V : points.Count > 0 ? points[0].V : 0;
            var velocity = (M(now) - M(now.AddHours(-24))) / 24;
            item.GetProperty("velocity").GetDouble().Should().BeApproximately(velocity, 1e-6, "{0} {1}", type, id);
        }
    }

    [Fact]
    public async Task Timeseries_DerivedMetrics_AreServed()
    {
        var user = await factory.ReadyUserAsync();
        var creators = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/creators");
        var id = creators.EnumerateArray().First().GetProperty("id").GetInt32();

        foreach (var metric in new[] { "likes", "shares", "followers", "velocity", "clipperCount" })
        {
            var series = await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/analytics/timeseries?entity=creator:{id}&metric={metric}&period=7d");
            series.GetProperty("points").GetArrayLength().Should().BeGreaterThan(0, metric);
        }
    }

    [Theory]
    [InlineData("entity=creator:999999&metric=views&period=24h", HttpStatusCode.NotFound, "entity_not_found")]
    [InlineData("entity=vod:1&metric=views&period=24h", HttpStatusCode.BadRequest, "invalid_entity")]
    [InlineData("entity=creator:abc&metric=views&period=24h", HttpStatusCode.BadRequest, "invalid_entity")]
    [InlineData("entity=creator:1&metric=mood&period=24h", HttpStatusCode.BadRequest, "invalid_metric")]
    [InlineData("entity=creator:1&metric=views&period=1y", HttpStatusCode.BadRequest, "invalid_period")]
    public async Task Timeseries_WithBadInput_ReturnsAClearError(string query, HttpStatusCode status, string code)
    {
        var user = await factory.ReadyUserAsync();
        var response = await user.Http.GetAsync($"/api/analytics/timeseries?{query}");
        await response.ShouldBeApiErrorAsync(status, code);
    }

    [Fact]
    public async Task Creators_SearchFindsByHandle_AndDetailCarriesKpis()
    {
        var user = await factory.ReadyUserAsync();
        var all = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/creators");
        var first = all.EnumerateArray().First();
        var handle = first.GetProperty("handle").GetString()!;

        var found = await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/creators?search={Uri.EscapeDataString(handle[..3].ToUpperInvariant())}");
        found.EnumerateArray().Select(c => c.GetProperty("handle").GetString()).Should().Contain(handle);

        var detail = await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/creators/{first.GetProperty("id").GetInt32()}?period=7d");
        detail.GetProperty("handle").GetString().Should().Be(handle);
        detail.GetProperty("isDemo").GetBoolean().Should().BeTrue();
        var kpis = detail.GetProperty("kpis");
        kpis.GetProperty("followers").GetInt64().Should().BeGreaterThan(0);
        kpis.GetProperty("heat").GetDouble().Should().BeInRange(0, 100);

        var byHandle = await DemoMarketFactory.GetJsonAsync(user.Http, $"/api/creators/{handle}");
        byHandle.GetProperty("id").GetInt32().Should().Be(first.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Creators_UnknownOrBadInput_ReturnsClearErrors()
    {
        var user = await factory.ReadyUserAsync();
        await (await user.Http.GetAsync("/api/creators/999999")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "creator_not_found");
        await (await user.Http.GetAsync("/api/creators/999999/vods")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "creator_not_found");
        await (await user.Http.GetAsync("/api/creators/1?period=forever")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_period");
        await (await user.Http.GetAsync("/api/creators?limit=0")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_limit");
        (await DemoMarketFactory.GetJsonAsync(user.Http, "/api/creators?limit=2")).GetArrayLength().Should().Be(2);
        var none = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/creators?search=%25_nobody_%25");
        none.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task CreatorVods_ListDemoVods_InTheSpecShape()
    {
        var user = await factory.ReadyUserAsync();
        var vods = await DemoMarketFactory.GetJsonAsync(user.Http, "/api/creators/1/vods");

        vods.GetArrayLength().Should().Be(2);
        foreach (var vod in vods.EnumerateArray())
        {
            Guid.TryParse(vod.GetProperty("id").GetString(), out _).Should().BeTrue();
            vod.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
            vod.GetProperty("durationSeconds").GetDouble().Should().BeInRange(600, 3600);
            vod.GetProperty("status").GetString().Should().Be("ready");
            vod.GetProperty("trending").ValueKind.Should().BeOneOf(JsonValueKind.True, JsonValueKind.False);
            vod.TryGetProperty("thumbnailUrl", out _).Should().BeTrue();
            vod.GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);
        }

        vods.EnumerateArray().Select(v => v.GetProperty("publishedAt").GetDateTime()).Should().BeInDescendingOrder();
    }
}
