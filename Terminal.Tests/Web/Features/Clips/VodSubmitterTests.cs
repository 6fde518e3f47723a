using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Clips;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Tests.Infrastructure;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>
/// Issue 11 "anyone can add a VOD to any creator": the submitter is recorded and shown
/// (<c>submittedBy</c>), only the submitter or an admin deletes (<c>DELETE /api/vods/{id}</c>), never
/// while it is probed or clips of it run, and registrations count against a per-user daily limit.
/// </summary>
public sealed class VodSubmitterTests(VodSubmitterTests.Factory factory) : IClassFixture<VodSubmitterTests.Factory>
{
    public sealed class Factory : ClipsWebFactory
    {
        public Factory()
        {
            Settings["Terminal:Media:MaxVodsPerUserPerDay"] = "2";
            Settings["Terminal:Media:MaxPendingProbesPerUser"] = "10";

            // A lab origin nothing listens on: an accepted registration fails its probe at once, touching no real network.
            Settings["Terminal:Media:AllowedPrivateOrigins:0"] = "http://127.0.0.1:9";
        }
    }

    private async Task<TerminalDbContext> DbAsync() =>
        await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();

    private async Task<Vod> SeedVodAsync(string? submitter, VodStatus status = VodStatus.Ready, DateTime? createdAt = null, string? thumbnail = null)
    {
        await using var db = await DbAsync();
        var vod = new Vod
        {
            Id = Guid.NewGuid(),
            CreatorId = await EnsureCreatorAsync(db),
            Title = "submitted",
            SourceUrl = "http://127.0.0.1:9/v.mp4",
            Status = status,
            RegisteredByUserId = submitter,
            PublishedAt = DateTime.UtcNow,
            CreatedAt = createdAt ?? DateTime.UtcNow,
        };
        db.Vods.Add(vod);
        if (thumbnail is not null)
        {
            db.VodMedia.Add(new VodMedia { VodId = vod.Id, ThumbnailTiles = 2, ThumbnailFile = thumbnail, ProbedAt = DateTime.UtcNow });
        }

        await db.SaveChangesAsync();
        return vod;
    }

    private async Task<bool> ExistsAsync(Guid vodId)
    {
        await using var db = await DbAsync();
        return await db.Vods.AnyAsync(v => v.Id == vodId);
    }

    [Fact]
    public async Task Delete_BySubmitter_Returns204_AndRemovesTheRowAndItsFiles()
    {
        var user = await factory.CreateUserClientAsync();
        var relative = Path.Combine("media", "thumbs", $"{Guid.NewGuid():N}.jpg");
        var full = Path.Combine(factory.DataDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, [1, 2, 3]);
        var vod = await SeedVodAsync(user.UserId, thumbnail: relative);

        var response = await user.Http.DeleteAsync($"/api/vods/{vod.Id}");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        (await ExistsAsync(vod.Id)).Should().BeFalse();
        File.Exists(full).Should().BeFalse();
    }

    [Fact]
    public async Task Delete_ByAnotherUser_Returns403_AndKeepsTheVod()
    {
        var owner = await factory.CreateUserClientAsync();
        var stranger = await factory.CreateUserClientAsync();
        var vod = await SeedVodAsync(owner.UserId);

        await (await stranger.Http.DeleteAsync($"/api/vods/{vod.Id}")).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "not_vod_submitter");
        (await ExistsAsync(vod.Id)).Should().BeTrue();
    }

    [Fact]
    public async Task Delete_ByAdmin_DeletesAnyonesVod()
    {
        var owner = await factory.CreateUserClientAsync();
        var admin = await factory.AdminClientAsync();
        var vod = await SeedVodAsync(owner.UserId);

        (await admin.Http.DeleteAsync($"/api/vods/{vod.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await ExistsAsync(vod.Id)).Should().BeFalse();
    }

    [Fact]
    public async Task Delete_ADemoVod_IsForAdminsOnly()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedVodAsync(submitter: null);

        await (await user.Http.DeleteAsync($"/api/vods/{vod.Id}")).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "not_vod_submitter");
    }

    [Fact]
    public async Task Delete_WithAClipInProgress_Returns409_AndKeepsEverything()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedVodAsync(user.UserId);
        await using (var db = await DbAsync())
        {
            db.ClipRequests.Add(new ClipRequest { Id = Guid.NewGuid(), UserId = user.UserId, VodId = vod.Id, StartSeconds = 0, EndSeconds = 1, Status = ClipStatus.Processing, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await (await user.Http.DeleteAsync($"/api/vods/{vod.Id}")).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "vod_clips_in_progress");
        (await ExistsAsync(vod.Id)).Should().BeTrue();
    }

    [Fact]
    public async Task Delete_WhileProbing_Returns409_AndUnknownId_Returns404()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedVodAsync(user.UserId, VodStatus.Probing);

        await (await user.Http.DeleteAsync($"/api/vods/{vod.Id}")).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "vod_probing");
        await (await user.Http.DeleteAsync($"/api/vods/{Guid.NewGuid()}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "vod_not_found");
    }

    [Fact]
    public async Task Register_PastTheDailyLimit_Returns409_AndOlderRegistrationsDoNotCount()
    {
        var user = await factory.CreateUserClientAsync();
        await SeedVodAsync(user.UserId, VodStatus.Failed, DateTime.UtcNow.AddHours(-25));
        await SeedVodAsync(user.UserId, VodStatus.Failed, DateTime.UtcNow.AddHours(-1));
        var body = new { creatorId = 9001, title = "more", sourceUrl = "http://127.0.0.1:9/more.mp4" };

        (await user.Http.PostAsJsonAsync("/api/vods", body)).StatusCode.Should().Be(HttpStatusCode.Created);
        await (await user.Http.PostAsJsonAsync("/api/vods", body)).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "vod_limit_reached");
    }

    private sealed record VodItemDto(Guid Id, string? SubmittedBy);

    [Fact]
    public async Task CreatorVodList_NamesTheSubmitter()
    {
        var user = await factory.CreateUserClientAsync();
        var mine = await SeedVodAsync(user.UserId);
        var demo = await SeedVodAsync(submitter: null);

        var items = await user.Http.GetFromJsonAsync<VodItemDto[]>($"/api/creators/{mine.CreatorId}/vods");

        items!.Single(v => v.Id == mine.Id).SubmittedBy.Should().Be(user.UserId);
        items!.Single(v => v.Id == demo.Id).SubmittedBy.Should().BeNull();
    }
}
