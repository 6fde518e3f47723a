using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Data.LinkedAccounts;
using Terminal.Jobs.RealMarket;
using Terminal.Tests.Infrastructure;
using Xunit;

namespace Terminal.Tests.Jobs.RealMarket;

/// <summary>The ACCT TikTok opt-in (SPEC §9): off by default; on, the linked account's synced public video
/// stats are market readings; off again, it leaves the market.</summary>
public sealed class TikTokContributionTests
{
    private static async Task<long> LinkTikTokAsync(TerminalWebFactory app, string userId, string displayName, params (DateTime At, long Followers, long Views)[] syncs)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        var account = new PlatformAccount { UserId = userId, Platform = Platform.TikTok, Status = LinkStatus.Connected, ExternalId = "open-" + userId[..8], DisplayName = displayName, LinkedAt = DateTime.UtcNow.AddDays(-2) };
        db.PlatformAccounts.Add(account);
        await db.SaveChangesAsync();
        await AddSyncsAsync(app, account.Id, userId, syncs);
        return account.Id;
    }

    /// <summary>What the linked-account sync writes at the end of each run.</summary>
    private static async Task AddSyncsAsync(TerminalWebFactory app, long accountId, string userId, params (DateTime At, long Followers, long Views)[] syncs)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        db.AccountSnapshots.AddRange(syncs.Select(s => new AccountSnapshot
        {
            PlatformAccountId = accountId, UserId = userId, Platform = Platform.TikTok, At = s.At, Followers = s.Followers, Views = s.Views, Likes = s.Views / 10, Comments = 7, Shares = 3,
        }));
        await db.SaveChangesAsync();
    }

    private static async Task<JsonElement[]> LiveTikTokCreatorsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/analytics/trends?type=creators&platform=tiktok&source=live&period=24h")).GetProperty("data").EnumerateArray().ToArray();

    [Fact]
    public async Task OptIn_IsOffByDefault_NeedsAConnectedTikTokAccount_AndIsOnlyForTikTok()
    {
        await using var app = new TerminalWebFactory();
        var user = await app.CreateUserClientAsync();

        var view = await user.Http.GetFromJsonAsync<JsonElement>("/api/market/contributions/tiktok");
        var unlinked = await user.Http.PutAsJsonAsync("/api/market/contributions/tiktok", new { enabled = true });
        var youtube = await user.Http.PutAsJsonAsync("/api/market/contributions/youtube", new { enabled = true });
        var noBody = await user.Http.PutAsJsonAsync("/api/market/contributions/tiktok", new { });
        var anonymous = await app.CreateApiClient().GetAsync("/api/market/contributions/tiktok");

        view.GetProperty("optedIn").GetBoolean().Should().BeFalse();
        unlinked.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await unlinked.Content.ReadAsStringAsync()).Should().Contain("\"code\":\"not_linked\"");
        youtube.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        noBody.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OptIn_MakesTheAccountARealMarketCreator_AndEachNewSyncIsAReading()
    {
        await using var app = new TerminalWebFactory();
        var user = await app.CreateUserClientAsync();
        var t0 = DateTime.UtcNow.AddHours(-2);
        var accountId = await LinkTikTokAsync(app, user.UserId, "Dance Queen", (t0, 1_200, 50_000));
        (await LiveTikTokCreatorsAsync(user.Http)).Should().BeEmpty("nothing is contributed before the owner opts in");

        var put = await user.Http.PutAsJsonAsync("/api/market/contributions/tiktok", new { enabled = true });
        var view = await put.Content.ReadFromJsonAsync<JsonElement>();
        var creatorId = view.GetProperty("creatorId").GetInt32();
        await AddSyncsAsync(app, accountId, user.UserId, (t0.AddHours(1), 1_250, 62_000));
        var published = await app.Services.GetRequiredService<MarketContributionService>().PublishPendingAsync(CancellationToken.None);
        var again = await app.Services.GetRequiredService<MarketContributionService>().PublishPendingAsync(CancellationToken.None);

        put.StatusCode.Should().Be(HttpStatusCode.OK);
        view.GetProperty("optedIn").GetBoolean().Should().BeTrue();
        view.GetProperty("handle").GetString().Should().Be("dancequeen");
        published.Should().Be(1);
        again.Should().Be(0, "a sync is published once");
        var row = (await LiveTikTokCreatorsAsync(user.Http)).Single();
        row.GetProperty("id").GetInt32().Should().Be(creatorId);
        row.GetProperty("isDemo").GetBoolean().Should().BeFalse();
        var views = await user.Http.GetFromJsonAsync<JsonElement>($"/api/analytics/timeseries?entity=creator:{creatorId}&metric=views&period=24h");
        views.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("v").GetDouble()).Should().Equal(50_000, 62_000);
        (await user.Http.GetFromJsonAsync<JsonElement>("/api/market/contributions/tiktok")).GetProperty("optedIn").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task OptOut_RemovesTheCreatorAndItsReadingsFromTheMarket_AndOnlyTheOwnersAccount()
    {
        await using var app = new TerminalWebFactory();
        var owner = await app.CreateUserClientAsync();
        var other = await app.CreateUserClientAsync();
        await LinkTikTokAsync(app, owner.UserId, "Owner", (DateTime.UtcNow.AddHours(-1), 10, 1_000));
        await LinkTikTokAsync(app, other.UserId, "Other", (DateTime.UtcNow.AddHours(-1), 20, 2_000));
        var ownerCreator = (await (await owner.Http.PutAsJsonAsync("/api/market/contributions/tiktok", new { enabled = true })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("creatorId").GetInt32();
        var otherCreator = (await (await other.Http.PutAsJsonAsync("/api/market/contributions/tiktok", new { enabled = true })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("creatorId").GetInt32();
        (await LiveTikTokCreatorsAsync(owner.Http)).Should().HaveCount(2);

        var off = await owner.Http.PutAsJsonAsync("/api/market/contributions/tiktok", new { enabled = false });

        off.StatusCode.Should().Be(HttpStatusCode.OK);
        (await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("optedIn").GetBoolean().Should().BeFalse();
        (await LiveTikTokCreatorsAsync(owner.Http)).Select(r => r.GetProperty("id").GetInt32()).Should().Equal(otherCreator);
        (await owner.Http.GetAsync($"/api/creators/{ownerCreator}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        (await db.Snapshots.CountAsync(s => s.Kind == EntityKind.Creator && s.EntityId == ownerCreator)).Should().Be(0, "its readings leave with it");
        (await db.Snapshots.CountAsync(s => s.Kind == EntityKind.Creator && s.EntityId == otherCreator)).Should().Be(1);
    }
}
