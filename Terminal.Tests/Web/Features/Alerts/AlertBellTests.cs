using System.Net.Http.Json;
using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Alerts;

namespace Terminal.Tests.Web.Features.Alerts;

/// <summary>The shell's ALRT counter and toast, driven by the real monitor → notifier path of the app.</summary>
public sealed class AlertBellTests(AlertsFactory factory) : BunitTestBase, IClassFixture<AlertsFactory>
{
    private static int _nextId = 9100;

    private void SignIn(string userId)
    {
        Services.AddSingleton(factory.Services.GetRequiredService<AlertNotifier>());
        Services.AddSingleton(factory.Services.GetRequiredService<IAlertStore>());
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test"));
        Services.AddCascadingValue(_ => Task.FromResult(new AuthenticationState(principal)));
    }

    [Fact]
    public async Task AFiringOfTheOwner_RaisesTheCounterAndShowsAToast_AndAcknowledgingLowersIt()
    {
        var owner = await factory.CreateUserClientAsync();
        var id = Interlocked.Increment(ref _nextId);
        factory.Market.Set(EntityKind.Creator, id, heat: 95);
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{id}", threshold = 90, channels = new[] { "toast" } })).EnsureSuccessStatusCode();
        SignIn(owner.UserId);
        var snackbars = Render<MudSnackbarProvider>();
        var bell = Render<AlertBell>();
        bell.WaitForAssertion(() => bell.Find("[data-alert-count]").TextContent.Should().Be("0"));

        var fired = (await factory.Monitor.EvaluateAsync(DateTime.UtcNow)).Single(f => f.Entity == $"creator:{id}");

        bell.WaitForAssertion(() => bell.Find("[data-alert-count]").TextContent.Should().Be("1"), TimeSpan.FromSeconds(10));
        bell.Find("[data-alert-bell]").GetAttribute("data-unread").Should().Be("1");
        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain("ALERT ·").And.Contain(fired.Message), TimeSpan.FromSeconds(10));

        (await owner.Http.PostAsync($"/api/alerts/{fired.Id}/ack", null)).EnsureSuccessStatusCode();
        bell.WaitForAssertion(() => bell.Find("[data-alert-count]").TextContent.Should().Be("0"), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnotherUsersFiring_LeavesTheCounterAndToastsAlone()
    {
        var owner = await factory.CreateUserClientAsync();
        var bystander = await factory.CreateUserClientAsync();
        var id = Interlocked.Increment(ref _nextId);
        factory.Market.Set(EntityKind.Creator, id, heat: 95);
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{id}", threshold = 90, channels = new[] { "toast" } })).EnsureSuccessStatusCode();
        SignIn(bystander.UserId);
        var snackbars = Render<MudSnackbarProvider>();
        var bell = Render<AlertBell>();
        bell.WaitForAssertion(() => bell.Find("[data-alert-count]").TextContent.Should().Be("0"));

        (await factory.Monitor.EvaluateAsync(DateTime.UtcNow)).Should().Contain(f => f.Entity == $"creator:{id}");

        bell.Find("[data-alert-count]").TextContent.Should().Be("0", "the hub message goes to the owner only");
        snackbars.Markup.Should().NotContain("ALERT ·");
    }
}
