using Terminal.Web.Features.Shell;

namespace Terminal.Tests.Web.Features.Shell;

public sealed class FmtTests
{
    [Theory]
    [InlineData(0, "0.0\u2007")]
    [InlineData(850, "850.0\u2007")]
    [InlineData(999.96, "1.0K")]
    [InlineData(1234, "1.2K")]
    [InlineData(12_345, "12.3K")]
    [InlineData(999_960, "1.0M")]
    [InlineData(5_600_000, "5.6M")]
    [InlineData(-1500, "-1.5K")]
    [InlineData(2_340_000_000, "2.3B")]
    public void Velocity_HasOneDecimalAndAMagnitudeSlot(double value, string expected) =>
        Fmt.Velocity(value).Should().Be(expected);

    [Fact]
    public void Velocity_LinesUpOnTheDecimalPoint_AcrossMagnitudes()
    {
        // Right-aligned, every value has exactly one digit and one magnitude slot after its point.
        foreach (var text in new[] { 3.0, 850, 1234, 98_765, 5_600_000 }.Select(Fmt.Velocity))
        {
            text.Should().MatchRegex(@"^-?\d+\.\d[\u2007KMB]$");
        }
    }

    [Theory]
    [InlineData("short title", 20, "short title")]
    [InlineData("Best of the stream highlights part 3", 20, "Best of th…ts part 3")]
    [InlineData("abcdefghij", 9, "abcd…ghij")]
    public void MiddleEllipsis_KeepsStartAndEnd(string text, int max, string expected)
    {
        var shortened = Fmt.MiddleEllipsis(text, max);
        shortened.Should().Be(expected);
        shortened.Length.Should().BeLessThanOrEqualTo(max);
    }
}
