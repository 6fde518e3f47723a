using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Data.Accounts;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Data.Alerts;

/// <summary>The per-user ticker watchlist setting (issue #14): kept on the user's row, owner-checked, cleared with the list.</summary>
public sealed class TickerWatchlistStoreTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    private ITickerWatchlistStore Ticker => factory.Services.GetRequiredService<ITickerWatchlistStore>();

    private IWatchlistStore Lists => factory.Services.GetRequiredService<IWatchlistStore>();

    private async Task<long?> StoredIdAsync(string userId)
    {
        using var scope = factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<TerminalUser>>().FindByIdAsync(userId))!.TickerWatchlistId;
    }

    [Fact]
    public async Task ByDefault_TheTapeShowsTheMovers()
    {
        var user = await factory.CreateUserClientAsync();
        (await Ticker.GetAsync(user.UserId)).Should().BeNull();
    }

    [Fact]
    public async Task AChosenList_IsKept_AndNullGoesBackToTheMovers()
    {
        var user = await factory.CreateUserClientAsync();
        var list = await Lists.CreateAsync(user.UserId, "Tape", [new WatchlistItem(EntityKind.Creator, 20)], DateTime.UtcNow);

        (await Ticker.SetAsync(user.UserId, list.Id)).Should().BeTrue();
        (await Ticker.GetAsync(user.UserId)).Should().Match<Watchlist>(w => w.Id == list.Id && w.Name == "Tape" && w.Items.Count == 1);
        (await StoredIdAsync(user.UserId)).Should().Be(list.Id);

        (await Ticker.SetAsync(user.UserId, null)).Should().BeTrue();
        (await Ticker.GetAsync(user.UserId)).Should().BeNull();
    }

    [Fact]
    public async Task AnotherUsersList_IsRefused_AndTheSettingStays()
    {
        var user = await factory.CreateUserClientAsync();
        var other = await factory.CreateUserClientAsync();
        var mine = await Lists.CreateAsync(user.UserId, "Mine", [], DateTime.UtcNow);
        var theirs = await Lists.CreateAsync(other.UserId, "Theirs", [], DateTime.UtcNow);
        await Ticker.SetAsync(user.UserId, mine.Id);

        (await Ticker.SetAsync(user.UserId, theirs.Id)).Should().BeFalse();

        (await Ticker.GetAsync(user.UserId))!.Id.Should().Be(mine.Id);
    }

    [Fact]
    public async Task DeletingTheList_ClearsTheSetting_BackToTheMovers()
    {
        var user = await factory.CreateUserClientAsync();
        var list = await Lists.CreateAsync(user.UserId, "Gone", [new WatchlistItem(EntityKind.Clip, 7)], DateTime.UtcNow);
        var kept = await Lists.CreateAsync(user.UserId, "Kept", [], DateTime.UtcNow);
        await Ticker.SetAsync(user.UserId, list.Id);

        (await Lists.DeleteAsync(user.UserId, kept.Id)).Should().BeTrue();
        (await StoredIdAsync(user.UserId)).Should().Be(list.Id); // deleting another list leaves the tape alone

        (await Lists.DeleteAsync(user.UserId, list.Id)).Should().BeTrue();

        (await StoredIdAsync(user.UserId)).Should().BeNull();
        (await Ticker.GetAsync(user.UserId)).Should().BeNull();
    }
}
