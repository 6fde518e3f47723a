using Terminal.Core.Common;
using Terminal.Core.Market;

namespace Terminal.Tests.Core.Market;

/// <summary>One parser per query parameter: defaults when absent, one error code per parameter when wrong.</summary>
public sealed class QueryParametersTests
{
    [Fact]
    public void Absent_TakesTheDefaults()
    {
        QueryParameters.ParsePeriod(null, Period.Month).Should().Be(Period.Month);
        QueryParameters.ParsePlatformOrAll(null).Should().BeNull();
        QueryParameters.ParsePlatformOrAll(" ALL ").Should().BeNull();
        QueryParameters.ParseKind(null, EntityKind.Creator).Should().Be(EntityKind.Creator);
        QueryParameters.ParseLimit(null, 50, 500).Should().Be(50);
        QueryParameters.ParseSource(null).Should().Be(MarketSourceFilter.All);
        QueryParameters.ParseTopicId(null).Should().BeNull();
        QueryParameters.ParseMetric(null).Should().Be(SeriesMetrics.Views);
        QueryParameters.ParseSince(null).Should().BeNull();
        QueryParameters.ParseSince(" ").Should().BeNull();
        QueryParameters.ParseCreatorId(null).Should().BeNull();
        QueryParameters.ParseCreatorId("").Should().BeNull();
    }

    [Fact]
    public void Valid_ParsesInAnyCase()
    {
        QueryParameters.ParsePeriod("7D", Period.Day).Should().Be(Period.Week);
        QueryParameters.ParsePlatformOrAll("TikTok").Should().Be(Platform.TikTok);
        QueryParameters.ParseKind("clips", EntityKind.Creator).Should().Be(EntityKind.Clip);
        QueryParameters.ParseLimit("500", 50, 500).Should().Be(500);
        QueryParameters.ParseSource("Live").Should().Be(MarketSourceFilter.Live);
        QueryParameters.ParseTopicId("3").Should().Be(3);
        QueryParameters.ParseEntity("creator:12").Should().Be((EntityKind.Creator, 12));
        QueryParameters.ParseMetric("CLIPPERCOUNT").Should().Be(SeriesMetrics.ClipperCount);
        QueryParameters.ParseCreatorId("42").Should().Be(42);
        QueryParameters.ParseClipStatus("Ready").Should().Be(Terminal.Core.Clips.ClipStatus.Ready);
        QueryParameters.ParseClipStatus(null).Should().BeNull();
        QueryParameters.ParseTake(null, 200, 1000).Should().Be(200);
        QueryParameters.ParseTake("1000", 200, 1000).Should().Be(1000);
        QueryParameters.ParseCrmPeriod(null).Should().Be(TimeSpan.FromDays(30));
        QueryParameters.ParseCrmPeriod("90D").Should().Be(TimeSpan.FromDays(90));
        QueryParameters.ParseFormat(null, "pdf", "csv").Should().Be("pdf");
        QueryParameters.ParseFormat(" CSV ", "pdf", "csv").Should().Be("csv");
        QueryParameters.ParseVodId(null).Should().BeNull();
        QueryParameters.ParseVodId("6f9619ff-8b86-d011-b42d-00cf4fc964ff").Should().Be(Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"));
    }

    [Theory]
    [InlineData("2026-11-28T12:00:00Z")]
    [InlineData("2026-11-28T12:00:00")]
    [InlineData("2026-11-28T14:00:00+02:00")]
    public void Since_IsAnInstantInUtc_NoOffsetMeaningUtc(string value)
    {
        var since = QueryParameters.ParseSince(value);

        since.Should().Be(new DateTime(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc));
        since!.Value.Kind.Should().Be(DateTimeKind.Utc);
    }

    [Theory]
    [InlineData("period", "invalid_period")]
    [InlineData("platform", "invalid_platform")]
    [InlineData("type", "invalid_type")]
    [InlineData("limit", "invalid_limit")]
    [InlineData("source", "invalid_source")]
    [InlineData("topic", "invalid_topic")]
    [InlineData("entity", "invalid_entity")]
    [InlineData("metric", "invalid_metric")]
    [InlineData("since", "invalid_since")]
    [InlineData("creatorId", "invalid_creator_id")]
    [InlineData("creatorId-zero", "invalid_creator_id")]
    [InlineData("status", "invalid_status")]
    [InlineData("status-number", "invalid_status")]
    [InlineData("take", "invalid_take")]
    [InlineData("crm-period", "invalid_period")]
    [InlineData("format", "invalid_format")]
    [InlineData("vodId", "invalid_vod")]
    public void Wrong_ThrowsA400_WithTheParametersOneCode(string parameter, string code)
    {
        Action parse = parameter switch
        {
            "period" => () => QueryParameters.ParsePeriod("2d", Period.Day),
            "platform" => () => QueryParameters.ParsePlatformOrAll("myspace"),
            "type" => () => QueryParameters.ParseKind("", EntityKind.Creator),
            "limit" => () => QueryParameters.ParseLimit("501", 50, 500),
            "source" => () => QueryParameters.ParseSource("both"),
            "topic" => () => QueryParameters.ParseTopicId("0"),
            "entity" => () => QueryParameters.ParseEntity("creators:1"),
            "since" => () => QueryParameters.ParseSince("yesterday"),
            "creatorId" => () => QueryParameters.ParseCreatorId("abc"),
            "creatorId-zero" => () => QueryParameters.ParseCreatorId("0"),
            "status" => () => QueryParameters.ParseClipStatus("done"),
            "status-number" => () => QueryParameters.ParseClipStatus("2"),
            "take" => () => QueryParameters.ParseTake("0", 200, 1000),
            "crm-period" => () => QueryParameters.ParseCrmPeriod("24h"),
            "format" => () => QueryParameters.ParseFormat("xml", "pdf", "csv"),
            "vodId" => () => QueryParameters.ParseVodId("vod-1"),
            _ => () => QueryParameters.ParseMetric("comments"),
        };

        var error = parse.Should().Throw<TerminalException>().Which;
        error.Kind.Should().Be(ErrorKind.BadRequest);
        error.Code.Should().Be(code);
    }
}
