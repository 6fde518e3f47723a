using Terminal.Core.Accounts;

namespace Terminal.Tests.Core.Accounts;

/// <summary>People read "Now on Pro", not the lowercase wire name ("now on pro").</summary>
public sealed class PlanDisplayNameTests
{
    [Theory]
    [InlineData(Plan.Free, "Free")]
    [InlineData(Plan.Pro, "Pro")]
    [InlineData(Plan.Enterprise, "Enterprise")]
    public void DisplayName_IsCapitalised_WhileTheWireNameStaysLowercase(Plan plan, string expected)
    {
        plan.DisplayName().Should().Be(expected);
        plan.ToWire().Should().Be(expected.ToLowerInvariant());
    }
}
