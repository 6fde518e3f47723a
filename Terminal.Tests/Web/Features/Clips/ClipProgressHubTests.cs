using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Terminal.Tests.Infrastructure;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>SPEC §5: ClipProgress reaches the owner's hub connections, and nobody else's.</summary>
public sealed class ClipProgressHubTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    private HubConnection Connect(string token) => factory.ConnectMarketHub(token);

    [Fact]
    public async Task ClipProgress_GoesToTheOwnerOnly_EndingReady()
    {
        var owner = await factory.CreateUserClientAsync();
        var other = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 10);
        await using var ownerHub = Connect(owner.AccessToken);
        await using var otherHub = Connect(other.AccessToken);
        var ownerEvents = new ConcurrentQueue<JsonElement>();
        var otherEvents = new ConcurrentQueue<JsonElement>();
        ownerHub.On<JsonElement>("ClipProgress", e => ownerEvents.Enqueue(e));
        otherHub.On<JsonElement>("ClipProgress", e => otherEvents.Enqueue(e));
        await ownerHub.StartAsync();
        await otherHub.StartAsync();

        var response = await owner.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 1, endTime = 6, mode = "exact" });
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;

        await Wait.UntilAsync(() => ownerEvents.Any(e => e.GetProperty("status").GetString() == "ready"), TimeSpan.FromSeconds(90), "the owner hears the clip is ready");
        var events = ownerEvents.ToArray();
        events.Should().OnlyContain(e => e.GetProperty("requestId").GetGuid() == accepted.RequestId);
        events.Select(e => e.GetProperty("status").GetString()).Should().StartWith("processing").And.EndWith("ready");
        events.Last().GetProperty("progress").GetDouble().Should().Be(100);
        otherEvents.Should().BeEmpty();
    }
}
