using System.Text.Json;
using Terminal.Core;
using Terminal.Core.Accounts;
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
