using System.Net.Http.Json;
using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Alerts;
using Terminal.Web.Features.Alerts;

namespace Terminal.Tests.Web.Features.Cluster;

/// <summary>
/// Two nodes (two in-process apps) on one database and one Redis. Alerts are evaluated on one node (here A,
/// whose monitor reads a market the test sets); the shell of a user whose circuit lives on node B — its ALRT
/// counter and toast — still sees the firing, and an acknowledgement taken by node A lowers B's counter.
/// </summary>
public sealed class AlertsAcrossNodesTests : BunitTestBase, IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly TerminalWebFactory _nodeA = new();
    private readonly TerminalWebFactory _nodeB = new();
    private readonly FakeAlertMarket _market = new();

    public AlertsAcrossNodesTests(RedisServer redis)
    {
        _nodeA.Settings["Terminal:Redis"] = redis.Configuration;
        _nodeB.Settings["Terminal:Redis"] = redis.Configuration;
        _nodeB.Settings["Terminal:DataDirectory"] = _nodeA.DataDirectory;
        _nodeA.ServiceOverrides.Add(s => s.Replace(ServiceDescriptor.Singleton<IAlertMarket>(_market)));
    }

    [Fact]
    public async Task AFiringOnNodeA_ReachesTheBellAndToastOnNodeB_AndAnAckOnNodeA_LowersIt()
    {
        _ = _nodeA.Server; // A migrates the shared database first
        var owner = await _nodeA.CreateUserClientAsync();
        const int creator = 4242;
        _market.Set(EntityKind.Creator, creator, heat: 95);
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{creator}", threshold = 90, channels = new[] { "toast" } })).EnsureSuccessStatusCode();

        Services.AddSingleton(_nodeB.Services.GetRequiredService<AlertNotifier>());
        Services.AddSingleton(_nodeB.Services.GetRequiredService<IAlertStore>());
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, owner.UserId)], "test"));
        Services.AddCascadingValue(_ => Task.FromResult(new AuthenticationState(principal)));
        var snackbars = Render<MudSnackbarProvider>();
        var bell = Render<AlertBell>();
        bell.WaitForAssertion(() => bell.Find("[data-alert-count]").TextContent.Should().Be("0"));

        var fired = (await _nodeA.Services.GetRequiredService<AlertMonitor>().EvaluateAsync(DateTime.UtcNow)).Single();

        bell.WaitForAssertion(() => bell.Find("[data-alert-count]").TextContent.Should().Be("1"), TimeSpan.FromSeconds(5));
        snackbars.WaitForAssertion(() => snackbars.Markup.Should().Contain("ALERT ·").And.Contain(fired.Message), TimeSpan.FromSeconds(5));

        (await owner.Http.PostAsync($"/api/alerts/{fired.Id}/ack", null)).EnsureSuccessStatusCode();
        bell.WaitForAssertion(() => bell.Find("[data-alert-count]").TextContent.Should().Be("0"), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AnotherUsersFiringOnNodeA_LeavesTheBellOnNodeBAlone()
    {
        _ = _nodeA.Server;
        var owner = await _nodeA.CreateUserClientAsync();
        var bystander = await _nodeB.CreateUserClientAsync();
        const int creator = 4243;
        _market.Set(EntityKind.Creator, creator, heat: 95);
        (await owner.Http.PostAsJsonAsync("/api/alerts/rules", new { kind = "heat_cross", scope = $"creator:{creator}", threshold = 90, channels = new[] { "toast" } })).EnsureSuccessStatusCode();

        Services.AddSingleton(_nodeB.Services.GetRequiredService<AlertNotifier>());
        Services.AddSingleton(_nodeB.Services.GetRequiredService<IAlertStore>());
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, bystander.UserId)], "test"));
        Services.AddCascadingValue(_ => Task.FromResult(new AuthenticationState(principal)));
        var snackbars = Render<MudSnackbarProvider>();
        var bell = Render<AlertBell>();
        var seen = 0;
        _nodeB.Services.GetRequiredService<AlertNotifier>().UnreadChanged += (user, _) =>
        {
            if (user == owner.UserId)
            {
                Interlocked.Increment(ref seen);
            }
        };

        (await _nodeA.Services.GetRequiredService<AlertMonitor>().EvaluateAsync(DateTime.UtcNow)).Should().ContainSingle();

        await Wait.UntilAsync(() => Volatile.Read(ref seen) > 0, TimeSpan.FromSeconds(5), "node B heard of the owner's firing");
        bell.Find("[data-alert-count]").TextContent.Should().Be("0", "only the owner's shell counts it");
        snackbars.Markup.Should().NotContain("ALERT ·");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
    }
}
