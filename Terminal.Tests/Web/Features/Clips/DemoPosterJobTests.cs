using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Data;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;
using Terminal.Web.Features.Clips;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>Issue #16: demo VODs have a poster before they are first opened, made in the background without generating their video.</summary>
public sealed class DemoPosterJobTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    [Fact]
    public async Task TheJob_GivesUnopenedDemoVodsAPoster_ThatThePickerShowsAndTheEndpointServes()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 600, "Never opened");
        var queries = factory.Services.GetRequiredService<ClipDeskQueries>();
        (await queries.GetVodAsync(vod.Id))!.PosterUrl.Should().BeNull("no poster yet");

        await ActivatorUtilities.CreateInstance<DemoPosterJob>(factory.Services).RunAsync(CancellationToken.None);

        (await queries.GetVodAsync(vod.Id))!.PosterUrl.Should().Be($"/api/vods/{vod.Id}/poster");
        var poster = await user.Http.GetAsync($"/api/vods/{vod.Id}/poster");
        poster.StatusCode.Should().Be(HttpStatusCode.OK);
        poster.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        File.Exists(factory.Services.GetRequiredService<DemoMediaGenerator>().PathFor(vod.Id)).Should().BeFalse("the video itself is not generated for a poster");
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        (await db.Set<Terminal.Core.Clips.VodMedia>().AnyAsync(m => m.VodId == vod.Id)).Should().BeFalse("the VOD is still unopened");
    }
}
