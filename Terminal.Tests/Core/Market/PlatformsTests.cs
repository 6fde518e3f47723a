using Terminal.Core.Common;
using Terminal.Core.Market;

namespace Terminal.Tests.Core.Market;

public sealed class PlatformsTests
{
    [Theory]
    [InlineData("youtube", Platform.YouTube)]
    [InlineData("TikTok", Platform.TikTok)]
    public void Parse_KnownName_AnyCase(string value, Platform expected) =>
        Platforms.Parse(value).Should().Be(expected);

    [Theory]
    [InlineData("myspace")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_UnknownName_Throws400InvalidPlatform(string? value)
    {
        var thrown = FluentActions.Invoking(() => Platforms.Parse(value)).Should().Throw<TerminalException>().Which;
        thrown.Kind.Should().Be(ErrorKind.BadRequest);
        thrown.Code.Should().Be("invalid_platform");
    }
}
