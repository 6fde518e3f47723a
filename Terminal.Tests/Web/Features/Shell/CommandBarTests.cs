using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Shell;

namespace Terminal.Tests.Web.Features.Shell;

public sealed class CommandParserTests
{
    [Theory]
    [InlineData("CRTR x", "/crtr/x")]
    [InlineData("crtr @MrBeast", "/crtr/MrBeast")]
    [InlineData("  trnd ", "/trnd")]
    [InlineData("CRM", "/crm")]
    [InlineData("ACCT", "/acct")]
    [InlineData("ADMIN", "/admin")]
    [InlineData("API", "/api-docs")]
    [InlineData("CLIP", "/clip")]
    [InlineData("CLIP 3f2b8a62-0d4e-4f0a-9a57-8d0c2b6c1a11", "/clip/3f2b8a62-0d4e-4f0a-9a57-8d0c2b6c1a11")]
    [InlineData("CRTR a b", "/crtr/a%20b")]
    public void KnownMnemonics_Route(string line, string route)
    {
        var outcome = TerminalFunctions.Parse(line);
        outcome.Error.Should().BeNull();
        outcome.Route.Should().Be(route);
    }

    [Theory]
    [InlineData("FOO", "Unknown function \"FOO\"")]
    [InlineData("", "Type a function")]
    [InlineData("CLIP nope", "CLIP takes a VOD id")]
    [InlineData("TRND extra", "TRND takes no argument")]
    public void BadLines_GetAClearMessage(string line, string message)
    {
        var outcome = TerminalFunctions.Parse(line);
        outcome.Route.Should().BeNull();
        outcome.Error.Should().Contain(message);
    }

    [Fact]
    public void AdminFunctions_AreNeitherRoutedNorOffered_ToOtherUsers()
    {
        TerminalFunctions.Parse("ADMIN", isAdmin: false).Error.Should().Be("ADMIN is for administrators.");
        TerminalFunctions.Parse("FOO", isAdmin: false).Error.Should().NotContain("ADMIN");
        TerminalFunctions.Parse("FOO", isAdmin: true).Error.Should().Contain("ADMIN");
    }
}

public sealed class CommandBarTests : BunitTestBase
{
    private readonly FakeMarketQueries _market = new();

    public CommandBarTests() => Services.AddSingleton<IMarketQueries>(_market);

    private IRenderedComponent<CommandBar> RenderBar()
    {
        Render<MudPopoverProvider>();
        return Render<CommandBar>(p => p.Add(c => c.DebounceInterval, 0));
    }

    private static async Task TypeAndEnterAsync(IRenderedComponent<CommandBar> bar, string text)
    {
        var input = bar.Find("input");
        await input.InputAsync(new ChangeEventArgs { Value = text });
        bar.WaitForAssertion(() => bar.Instance.LastSuggestions.Should().NotBeEmpty());
        await bar.Find("input").KeyUpAsync(new KeyboardEventArgs { Key = "Enter" });
    }

    [Fact]
    public async Task Enter_OnCrtrHandle_RoutesToCreatorPage()
    {
        var bar = RenderBar();
        await TypeAndEnterAsync(bar, "CRTR x");
        var nav = Services.GetRequiredService<NavigationManager>();
        bar.WaitForAssertion(() => nav.Uri.Should().EndWith("/crtr/x"));
    }

    [Fact]
    public async Task Enter_OnUnknownMnemonic_ShowsMessage_AndStays()
    {
        var bar = RenderBar();
        var nav = Services.GetRequiredService<NavigationManager>();
        var before = nav.Uri;
        await TypeAndEnterAsync(bar, "FOO");
        bar.WaitForAssertion(() => bar.Find("[data-command-error]").TextContent.Should().Contain("Unknown function \"FOO\""));
        nav.Uri.Should().Be(before);
    }

    [Fact]
    public async Task Suggestions_CompleteMnemonicsByPrefix()
    {
        var bar = RenderBar();
        var suggestions = await bar.Instance.SuggestAsync("TR", CancellationToken.None);
        suggestions.Should().Equal("TRND");
        (await bar.Instance.SuggestAsync("", CancellationToken.None)).Should().Contain(["TRND", "CRTR", "CLIP", "CRM", "ACCT", "API"]).And.NotContain("ADMIN");
    }

    [Fact]
    public async Task Suggestions_ForCrtr_ListTheMarketsMatchingCreators()
    {
        _market.Creators.Add(new CreatorSummary(7, "quinncast", "Quinn Cast", Platform.YouTube, 3, "Podcast clips", IsDemo: true));
        var bar = RenderBar();
        var suggestions = await bar.Instance.SuggestAsync("CRTR quinn", CancellationToken.None);
        suggestions.Should().Contain("CRTR quinncast");
    }
}
