using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Jobs.LinkedAccounts;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.LinkedAccounts;

namespace Terminal.Tests.Web.Features.LinkedAccounts;

public sealed class CredentialsPanelTests : BunitTestBase
{
    private readonly FakeUi ui = new();

    public CredentialsPanelTests()
    {
        Services.AddSingleton<ILinkedAccountsUi>(ui);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "user-1")], "test"));
        Services.AddCascadingValue(_ => Task.FromResult(new AuthenticationState(principal)));
    }

    [Fact]
    public void Submitting_TheForm_SavesForTheSignedInUser_AndShowsPending()
    {
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        var panel = Render<CredentialsPanel>();
        var card = panel.Find("[data-platform=youtube]");
        card.QuerySelector("[data-testid=status]")!.TextContent.Should().Contain("not set");

        Input(panel, "client-id").Change("my-client.apps.googleusercontent.com");
        Input(panel, "client-secret").Change("GOCSPX-secret");
        panel.Find("[data-platform=youtube] form").Submit();

        panel.WaitForAssertion(() => ui.Saved.Should().ContainSingle().Which.Should().Be(("user-1", Platform.YouTube, "my-client.apps.googleusercontent.com", "GOCSPX-secret")));
        panel.WaitForAssertion(() => panel.Find("[data-platform=youtube] [data-testid=status]").TextContent.Should().Contain("pending validation"));
        Input(panel, "client-secret").GetAttribute("type").Should().Be("password");
    }

    [Fact]
    public void InvalidCredentials_ShowReasonAndTime_AndConnectIsDisabled()
    {
        ui.Statuses.Add(new CredentialStatus(Platform.TikTok, LinkStatus.Invalid, "invalid_client: Client key or secret is incorrect.", new DateTime(2026, 11, 25, 20, 0, 0, DateTimeKind.Utc)));

        var panel = Render<CredentialsPanel>();

        var card = panel.Find("[data-platform=tiktok]");
        card.QuerySelector("[data-testid=status]")!.TextContent.Should().Contain("invalid");
        card.QuerySelector("[data-testid=reason]")!.TextContent.Should().Contain("Client key or secret is incorrect").And.Contain("2026-11-25 20:00 UTC");
        card.QuerySelector("[data-testid=connect]")!.HasAttribute("disabled").Should().BeTrue();
    }

    [Fact]
    public void ConnectedAccount_ShowsScopesLastSync_AndDisconnectCallsBackend()
    {
        ui.Statuses.Add(new CredentialStatus(Platform.Instagram, LinkStatus.Connected, null, DateTime.UtcNow));
        ui.Links.Add(new LinkedAccountView(Platform.Instagram, LinkStatus.Connected, null, "creator.one", "instagram_business_basic", DateTime.UtcNow, new DateTime(2026, 11, 25, 19, 0, 0, DateTimeKind.Utc), null));
        Render<MudSnackbarProvider>();

        var panel = Render<CredentialsPanel>();
        var card = panel.Find("[data-platform=instagram]");
        card.TextContent.Should().Contain("creator.one").And.Contain("instagram_business_basic").And.Contain("2026-11-25 19:00 UTC");

        panel.Find("[data-platform=instagram] [data-testid=disconnect]").Click();

        panel.WaitForAssertion(() => ui.Disconnected.Should().ContainSingle().Which.Should().Be(("user-1", Platform.Instagram)));
    }

    [Fact]
    public void EveryCard_ShowsTheExactRedirectUri_AndItsCopyButtonCopiesIt()
    {
        Render<MudSnackbarProvider>();
        var panel = Render<CredentialsPanel>();

        foreach (var platform in new[] { "youtube", "instagram", "tiktok" })
        {
            panel.Find($"[data-platform={platform}] [data-testid=redirect-uri]").TextContent.Should().Be($"http://localhost/api/auth/callback/{platform}");
        }

        var copy = panel.Find("[data-platform=tiktok] [data-testid=copy-redirect]");
        copy.GetAttribute("aria-label").Should().Be("Copy the TIKTOK redirect URI");
        copy.Click();

        JSInterop.VerifyInvoke("navigator.clipboard.writeText").Arguments.Should().Equal("http://localhost/api/auth/callback/tiktok");
    }

    [Fact]
    public void ValidateNow_ShowsASpinner_ThatStopsWithTheNewReason()
    {
        var before = new DateTime(2026, 11, 25, 20, 0, 0, DateTimeKind.Utc);
        ui.Statuses.Add(new CredentialStatus(Platform.YouTube, LinkStatus.Valid, null, before));
        ui.NextVerdict = new CredentialStatus(Platform.YouTube, LinkStatus.Valid, "The platform could not be reached (timeout); the last verdict stands.", before.AddDays(3));
        Render<MudSnackbarProvider>();
        var panel = Render<CredentialsPanel>();

        panel.Find("[data-platform=youtube] [data-testid=validate-now]").Click();

        panel.WaitForAssertion(() => panel.FindAll("[data-platform=youtube] [data-testid=validating]").Should().ContainSingle());
        ui.Validated.Should().Equal(("user-1", Platform.YouTube));
        panel.WaitForAssertion(() =>
        {
            panel.FindAll("[data-platform=youtube] [data-testid=validating]").Should().BeEmpty();
            panel.Find("[data-platform=youtube] [data-testid=reason]").TextContent.Should().Contain("could not be reached").And.Contain("2026-11-28 20:00 UTC");
        }, TimeSpan.FromSeconds(10));
    }

    /// <summary>The input of a MudTextField, whether MudBlazor put the test id on the input or its wrapper.</summary>
    private static AngleSharp.Dom.IElement Input(IRenderedComponent<CredentialsPanel> panel, string testId)
    {
        var element = panel.Find($"[data-platform=youtube] [data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    private sealed class FakeUi : ILinkedAccountsUi
    {
        public List<CredentialStatus> Statuses { get; } = [];

        public List<LinkedAccountView> Links { get; } = [];

        public List<(string, Platform, string?, string?)> Saved { get; } = [];

        public List<(string, Platform)> Disconnected { get; } = [];

        public Task<IReadOnlyList<CredentialStatus>> GetCredentialStatusesAsync(string userId, CancellationToken cancellationToken = default)
        {
            lock (Statuses)
            {
                return Task.FromResult<IReadOnlyList<CredentialStatus>>(Statuses.ToList());
            }
        }

        public Task<IReadOnlyList<LinkedAccountView>> GetLinkedAccountsAsync(string userId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<LinkedAccountView>>(Links.ToList());

        public Task SaveCredentialsAsync(string userId, Platform platform, string? clientId, string? clientSecret, string baseUrl, CancellationToken cancellationToken = default)
        {
            Saved.Add((userId, platform, clientId, clientSecret));
            Statuses.RemoveAll(s => s.Platform == platform);
            Statuses.Add(new CredentialStatus(platform, LinkStatus.PendingValidation, null, null));
            return Task.CompletedTask;
        }

        public Task DisconnectAsync(string userId, Platform platform, CancellationToken cancellationToken = default)
        {
            Disconnected.Add((userId, platform));
            Links.Clear();
            return Task.CompletedTask;
        }

        public Task SyncNowAsync(string userId, Platform platform, CancellationToken cancellationToken = default) => Task.CompletedTask;

        /// <summary>What the validation job will record when it runs (in the background: the next read sees it).</summary>
        public CredentialStatus? NextVerdict { get; set; }

        public List<(string, Platform)> Validated { get; } = [];

        public Task ValidateNowAsync(string userId, Platform platform, string baseUrl, CancellationToken cancellationToken = default)
        {
            Validated.Add((userId, platform));
            _ = Task.Run(async () =>
            {
                await Task.Delay(300);
                lock (Statuses)
                {
                    Statuses.RemoveAll(s => s.Platform == platform);
                    Statuses.Add(NextVerdict!);
                }
            }, CancellationToken.None); // a background job: it outlives the request that started it
            return Task.CompletedTask;
        }
    }
}
