using System.Net;
using System.Text.Json;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Market;

/// <summary>The trends and timeseries query strings bound as <c>[AsParameters]</c> records: same names in the document, same errors on the wire.</summary>
public sealed class TrendQueryParametersTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    [Theory]
    [InlineData("/api/analytics/trends", new[] { "type", "platform", "period", "limit", "topic", "search", "source" })]
    [InlineData("/ext-api/v1/trends", new[] { "type", "platform", "period", "limit", "topic", "search", "source" })]
    [InlineData("/api/analytics/timeseries", new[] { "entity", "metric", "period" })]
    public async Task Document_ListsEachQueryParameter_ByItsWireName(string path, string[] names)
    {
        using var doc = JsonDocument.Parse(await factory.CreateApiClient().GetStringAsync("/openapi/v1.json"));
        var parameters = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()).ToList();

        parameters.Should().BeEquivalentTo(names);
    }

    [Theory]
    [InlineData("/api/analytics/trends?limit=0", "invalid_limit")]
    [InlineData("/api/analytics/trends?platform=myspace", "invalid_platform")]
    [InlineData("/api/analytics/timeseries?entity=creators:1", "invalid_entity")]
    [InlineData("/api/analytics/timeseries?entity=creator:1&metric=comments", "invalid_metric")]
    public async Task BadInput_Answers400_WithTheSpecErrorBody(string url, string code)
    {
        var user = await factory.CreateUserClientAsync();

        var response = await user.Http.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be(code);
        body.RootElement.GetProperty("error").GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task UnknownEntity_Answers404_WithTheSpecErrorBody()
    {
        var user = await factory.CreateUserClientAsync();

        var response = await user.Http.GetAsync("/api/analytics/timeseries?entity=creator:987654");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be("entity_not_found");
    }
}
