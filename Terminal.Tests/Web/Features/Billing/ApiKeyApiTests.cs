using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Data;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Billing;

public sealed class ApiKeyApiTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    public sealed record CreatedKeyDto(Guid Id, string Name, string Prefix, string Key);

    public sealed record KeyDto(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt);

    [Fact]
    public async Task Create_ReturnsKeyOnce_AndStoresOnlyItsHash()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/keys", new { name = "my bot" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = (await response.Content.ReadFromJsonAsync<CreatedKeyDto>())!;

        created.Name.Should().Be("my bot");
        created.Key.Should().StartWith("ct_").And.HaveLength(3 + 43, "32 random bytes in base64url");
        created.Key.Should().StartWith(created.Prefix);
        created.Prefix.Length.Should().BeLessThan(created.Key.Length / 2);

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == created.Id);
        stored.Hash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Key))));
        var row = await db.Database.SqlQueryRaw<string>("SELECT Hash || '|' || Prefix || '|' || Name AS Value FROM ApiKeys WHERE UserId = {0}", user.UserId).SingleAsync();
        row.Should().NotContain(created.Key, "the key itself is never stored");

        var list = await user.Http.GetStringAsync("/api/keys");
        list.Should().NotContain(created.Key).And.Contain(created.Prefix);
    }

    [Fact]
    public async Task List_ShowsOnlyOwnKeys_WithPrefixAndDates()
    {
        var alice = await factory.CreateUserClientAsync();
        var bob = await factory.CreateUserClientAsync();
        await alice.Http.PostAsJsonAsync("/api/keys", new { name = "a1" });
        await alice.Http.PostAsJsonAsync("/api/keys", new { name = "a2" });
        await bob.Http.PostAsJsonAsync("/api/keys", new { name = "b1" });

        var keys = await alice.Http.GetFromJsonAsync<KeyDto[]>("/api/keys");
        keys!.Select(k => k.Name).Should().BeEquivalentTo(["a1", "a2"]);
        keys.Should().OnlyContain(k => k.Prefix.StartsWith("ct_") && k.LastUsedAt == null && k.CreatedAt > DateTime.UtcNow.AddMinutes(-5));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Create_WithoutName_Returns400(string name)
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/keys", new { name });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_name");
    }

    [Fact]
    public async Task Revoke_OwnKey_Returns204_AndKeyStopsWorking()
    {
        var user = await factory.CreateUserClientAsync();
        var created = (await (await user.Http.PostAsJsonAsync("/api/keys", new { name = "temp" })).Content.ReadFromJsonAsync<CreatedKeyDto>())!;
        var ext = factory.CreateApiClient();
        ext.DefaultRequestHeaders.Add("X-Api-Key", created.Key);
        (await ext.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK);

        var revoke = await user.Http.DeleteAsync($"/api/keys/{created.Id}");
        revoke.StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await user.Http.GetFromJsonAsync<KeyDto[]>("/api/keys")).Should().BeEmpty();
        await (await ext.GetAsync("/ext-api/v1/vods")).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Revoke_SomeoneElsesKey_Returns404_AndKeepsIt()
    {
        var owner = await factory.CreateUserClientAsync();
        var intruder = await factory.CreateUserClientAsync();
        var created = (await (await owner.Http.PostAsJsonAsync("/api/keys", new { name = "mine" })).Content.ReadFromJsonAsync<CreatedKeyDto>())!;

        var response = await intruder.Http.DeleteAsync($"/api/keys/{created.Id}");
        await response.ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "api_key_not_found");
        (await owner.Http.GetFromJsonAsync<KeyDto[]>("/api/keys")).Should().ContainSingle(k => k.Id == created.Id);
    }

    [Fact]
    public async Task Keys_Anonymous_Returns401()
    {
        var response = await factory.CreateApiClient().GetAsync("/api/keys");
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UsingKey_RecordsLastUsed()
    {
        var user = await factory.CreateUserClientAsync();
        var created = (await (await user.Http.PostAsJsonAsync("/api/keys", new { name = "used" })).Content.ReadFromJsonAsync<CreatedKeyDto>())!;
        var ext = factory.CreateApiClient();
        ext.DefaultRequestHeaders.Add("X-Api-Key", created.Key);
        (await ext.GetAsync("/ext-api/v1/vods")).StatusCode.Should().Be(HttpStatusCode.OK);

        var keys = await user.Http.GetFromJsonAsync<KeyDto[]>("/api/keys");
        keys!.Single().LastUsedAt.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Create_PastThePlansKeyCap_Returns409_AndAnUpgradeRaisesIt()
    {
        var user = await factory.CreateUserClientAsync();
        for (var i = 0; i < 3; i++)
        {
            (await user.Http.PostAsJsonAsync("/api/keys", new { name = $"k{i}" })).StatusCode.Should().Be(HttpStatusCode.Created, "Free holds 3 keys");
        }

        await (await user.Http.PostAsJsonAsync("/api/keys", new { name = "k3" })).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "too_many_keys");

        var admin = await factory.AdminClientAsync();
        (await admin.Http.PutAsJsonAsync($"/api/admin/users/{user.UserId}/plan", new { plan = "pro" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await user.Http.PostAsJsonAsync("/api/keys", new { name = "k3" })).StatusCode.Should().Be(HttpStatusCode.Created, "Pro holds 10");
    }
}
