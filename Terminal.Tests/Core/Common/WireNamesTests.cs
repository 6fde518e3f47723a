using System.Text.Json;
using Terminal.Core;
using Terminal.Core.Accounts;
using Terminal.Core.Alerts;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;

namespace Terminal.Tests.Core.Common;

/// <summary>One wire-name rule: the names come from [JsonStringEnumMemberName], so helpers and JSON agree.</summary>
public sealed class WireNamesTests
{
    [Fact]
    public void ToWire_WritesWhatJsonWrites_ForEveryMemberOfEveryWireEnum()
    {
        AssertSameAsJson(Enum.GetValues<Platform>());
        AssertSameAsJson(Enum.GetValues<Period>());
        AssertSameAsJson(Enum.GetValues<EntityKind>());
        AssertSameAsJson(Enum.GetValues<Plan>());
        AssertSameAsJson(Enum.GetValues<LinkStatus>());
        AssertSameAsJson(Enum.GetValues<IngestionStatus>());
    }

    [Fact]
    public void ExtensionHelpers_UseTheAttributeNames()
    {
        Platform.YouTube.ToWire().Should().Be("youtube");
        Period.Day.ToWire().Should().Be("24h");
        EntityKind.Clip.ToWire().Should().Be("clip");
        Plan.Enterprise.ToWire().Should().Be("enterprise");
        LinkStatus.ReauthRequired.ToWire().Should().Be("reauth_required");
    }

    [Theory]
    [InlineData(" TikTok ", Platform.TikTok)]
    [InlineData("INSTAGRAM", Platform.Instagram)]
    public void TryParse_AcceptsAnyCaseAndSurroundingSpace(string text, Platform expected)
    {
        Platforms.TryParse(text, out var platform).Should().BeTrue();
        platform.Should().Be(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("TikTok1")]
    [InlineData("1")]
    [InlineData("twitter")]
    public void TryParse_RefusesAnythingButADeclaredName(string? text)
    {
        Platforms.TryParse(text, out var platform).Should().BeFalse();
        platform.Should().BeNull();
    }

    [Fact]
    public void EntityKinds_AcceptThePluralTheTrendsApiUses()
    {
        EntityKinds.TryParse("creators", out var kind).Should().BeTrue();
        kind.Should().Be(EntityKind.Creator);
        EntityKinds.TryParse("topicss", out _).Should().BeFalse();
    }

    [Fact]
    public void ToWire_OfAnUndeclaredValue_Throws()
    {
        var act = () => ((Platform)99).ToWire();
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void MarketSourceAlertAndInsightEnums_KeepTheirWireNames_AndRoundTrip()
    {
        AssertNames(["all", "live", "demo"], MarketSourceFilter.All, MarketSourceFilter.Live, MarketSourceFilter.Demo);
        AssertNames(
            ["velocity_change_above", "velocity_change_below", "heat_cross", "under_clipped_above", "clip_trending", "new_vod", "live_start", "own_post_outlier"],
            Enum.GetValues<Terminal.Core.Alerts.AlertKind>());
        AssertNames(["creator", "clip", "topic", "watchlist", "niche", "account"], Enum.GetValues<Terminal.Core.Alerts.AlertScopeType>());
        AssertNames(["none", "toast", "webhook"], Enum.GetValues<Terminal.Core.Alerts.AlertChannels>());
        AssertNames(["market", "mine"], Enum.GetValues<Terminal.Web.Features.Insights.InsightScope>());
        Terminal.Core.Alerts.AlertKinds.WireNames.Should().HaveCount(8).And.Contain("own_post_outlier");
    }

    [Fact]
    public void TheMovedHelpers_ReadAndWriteTheAttributeNames()
    {
        MarketSourceFilters.TryParse(null, out var all).Should().BeTrue();
        all.Should().Be(MarketSourceFilter.All);
        MarketSourceFilters.TryParse(" LIVE ", out var live).Should().BeTrue();
        live.Should().Be(MarketSourceFilter.Live);
        MarketSourceFilters.TryParse("both", out _).Should().BeFalse();
        MarketSourceFilter.Demo.ToWire().Should().Be("demo");

        Terminal.Core.Alerts.AlertKinds.TryParse("Heat_Cross", out var kind).Should().BeTrue();
        kind.Should().Be(Terminal.Core.Alerts.AlertKind.HeatCross);
        Terminal.Core.Alerts.AlertKind.NewVod.ToWire().Should().Be("new_vod");

        Terminal.Core.Alerts.AlertScope.TryParse("Watchlist:5", out var scope).Should().BeTrue();
        scope!.ToString().Should().Be("watchlist:5");
        Terminal.Core.Alerts.AlertScope.TryParse("planet:5", out _).Should().BeFalse();

        Terminal.Core.Alerts.AlertChannelNames.TryParse("Webhook", out var channel).Should().BeTrue();
        channel.Should().Be(Terminal.Core.Alerts.AlertChannels.Webhook);
        Terminal.Core.Alerts.AlertChannelNames.TryParse("none", out _).Should().BeFalse("none is no channel");
        (Terminal.Core.Alerts.AlertChannels.Toast | Terminal.Core.Alerts.AlertChannels.Webhook).ToWire().Should().Equal("toast", "webhook");
    }

    private static void AssertNames<T>(string[] expected, params T[] values)
        where T : struct, Enum
    {
        values.Select(v => WireNames.ToWire(v)).Should().Equal(expected);
        WireNames.All<T>().Should().Equal(expected);
        foreach (var value in values)
        {
            WireNames.TryParse<T>(WireNames.ToWire(value).ToUpperInvariant(), out var back).Should().BeTrue();
            back.Should().Be(value);
        }
    }

    private static void AssertSameAsJson<T>(T[] values)
        where T : struct, Enum
    {
        foreach (var value in values)
        {
            WireNames.ToWire(value).Should().Be(JsonSerializer.Serialize(value).Trim('"'), $"{typeof(T).Name}.{value}");
            WireNames.TryParse<T>(WireNames.ToWire(value), out var back).Should().BeTrue();
            back.Should().Be(value);
        }
    }
}
