using System.Net;
using System.Net.Http.Json;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Alerts;

public sealed class WatchlistApiTests(AlertsFactory factory) : IClassFixture<AlertsFactory>
{
    public sealed record ItemDto(string Type, int Id, string? Platform);

    public sealed record ListDto(long Id, string Name, ItemDto[] Items, DateTime CreatedAt, DateTime UpdatedAt);

    [Fact]
    public async Task Create_List_Update_Delete_RoundTrip()
    {
        var user = await factory.CreateUserClientAsync();
        var created = await user.Http.PostAsJsonAsync("/api/watchlists", new { name = "Streamers", items = new object[] { new { type = "creator", id = 12 }, new { type = "clip", id = 5, platform = "youtube" } } });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var list = (await created.Content.ReadFromJsonAsync<ListDto>())!;
        list.Name.Should().Be("Streamers");
        list.Items.Should().Equal(new ItemDto("creator", 12, null), new ItemDto("clip", 5, "youtube"));

        var put = await user.Http.PutAsJsonAsync($"/api/watchlists/{list.Id}", new { name = "Pods", items = new object[] { new { type = "topic", id = 3 } } });
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        var all = await user.Http.GetFromJsonAsync<ListDto[]>("/api/watchlists");
        all.Should().ContainSingle().Which.Should().Match<ListDto>(l => l.Name == "Pods" && l.Items.Length == 1 && l.Items[0].Type == "topic" && l.Items[0].Id == 3);

        (await user.Http.DeleteAsync($"/api/watchlists/{list.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await user.Http.GetFromJsonAsync<ListDto[]>("/api/watchlists")).Should().BeEmpty();
    }

    [Fact]
    public async Task AnotherUsersList_IsNotFound_AndNotListed()
    {
        var alice = await factory.CreateUserClientAsync();
        var bob = await factory.CreateUserClientAsync();
        var list = (await (await alice.Http.PostAsJsonAsync("/api/watchlists", new { name = "mine", items = Array.Empty<object>() })).Content.ReadFromJsonAsync<ListDto>())!;

        await (await bob.Http.PutAsJsonAsync($"/api/watchlists/{list.Id}", new { name = "stolen", items = Array.Empty<object>() })).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "watchlist_not_found");
        await (await bob.Http.DeleteAsync($"/api/watchlists/{list.Id}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "watchlist_not_found");
        (await bob.Http.GetFromJsonAsync<ListDto[]>("/api/watchlists")).Should().BeEmpty();
        (await alice.Http.GetFromJsonAsync<ListDto[]>("/api/watchlists")).Should().ContainSingle(l => l.Name == "mine");
    }

    [Theory]
    [InlineData("{\"name\":\"\",\"items\":[]}", "invalid_name")]
    [InlineData("{\"name\":\"x\",\"items\":[{\"type\":\"vod\",\"id\":1}]}", "invalid_item")]
    [InlineData("{\"name\":\"x\",\"items\":[{\"type\":\"creator\",\"id\":0}]}", "invalid_item")]
    [InlineData("{\"name\":\"x\",\"items\":[{\"type\":\"creator\",\"id\":1,\"platform\":\"myspace\"}]}", "invalid_item")]
    public async Task BadBody_Returns400(string body, string code)
    {
        var user = await factory.CreateUserClientAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await user.Http.PostAsync("/api/watchlists", content);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
    }
}
