using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Jobs.Clips;
using Terminal.Tests.Infrastructure;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>The creator's VOD list links a poster (the strip's first tile) once a VOD is probed.</summary>
public sealed class VodPosterTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    private sealed record VodListDto(Guid Id, string Title, string? ThumbnailUrl, string Status);

    [Fact]
    public async Task ProbedVod_ListsAPosterJpeg_UnprobedVod_ListsNone()
    {
        var user = await factory.CreateUserClientAsync();
        var probed = await SeedDemoVodAsync(factory.Services, 6, "Probed VOD");
        var unprobed = await SeedDemoVodAsync(factory.Services, 6, "Unprobed VOD");
        await factory.Services.GetRequiredService<VodMediaService>().ProbeAsync(probed.Id, CancellationToken.None);

        var list = (await user.Http.GetFromJsonAsync<VodListDto[]>($"/api/creators/{probed.CreatorId}/vods"))!;

        list.Single(v => v.Id == unprobed.Id).ThumbnailUrl.Should().BeNull("that VOD has no strip yet");
        var url = list.Single(v => v.Id == probed.Id).ThumbnailUrl;
        url.Should().Be($"/api/vods/{probed.Id}/poster");
        var poster = await user.Http.GetAsync(url);
        poster.StatusCode.Should().Be(HttpStatusCode.OK);
        poster.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");

        // One 160×90 frame cut from the strip, not the whole strip.
        var file = Path.Combine(Path.GetTempPath(), $"poster-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(file, await poster.Content.ReadAsByteArrayAsync());
        try
        {
            var size = await MediaCheck.RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", file);
            size.Trim().Should().Be("160,90");
        }
        finally
        {
            File.Delete(file);
        }

        await (await user.Http.GetAsync($"/api/vods/{unprobed.Id}/poster")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "poster_not_ready");
        (await factory.CreateApiClient().GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "posters are served to signed-in users only, like the strip");
    }
}
