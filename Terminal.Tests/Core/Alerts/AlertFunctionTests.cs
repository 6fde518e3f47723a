using Terminal.Web.Features.Shell;

namespace Terminal.Tests.Core.Alerts;

public sealed class AlertFunctionTests
{
    [Theory]
    [InlineData("ALRT")]
    [InlineData("alrt")]
    public void AlrtMnemonic_OpensTheAlertsScreen(string line) =>
        TerminalFunctions.Parse(line, isAdmin: false).Route.Should().Be("/alrt");
}
