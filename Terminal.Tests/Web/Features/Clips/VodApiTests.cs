using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Data;
using Terminal.Jobs.Media;
using Terminal.Tests.Infrastructure;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>SSRF rules with the default (private networks refused).</summary>
public sealed class VodSourceRefusalTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    [Theory]
    [InlineData("file:///etc/passwd", "invalid_source_url")]
    [InlineData("ftp://example.com/v.mp4", "invalid_source_url")]
    [InlineData("gopher://example.com/", "invalid_source_url")]
    [InlineData("not a url", "invalid_source_url")]
    [InlineData("http://user:pw@example.com/v.mp4", "invalid_source_url")]
    [InlineData("http://127.0.0.1/v.mp4", "forbidden_source")]
    [InlineData("http://localhost:5000/v.mp4", "forbidden_source")]
    [InlineData("http://169.254.169.254/latest/meta-data", "forbidden_source")]
    [InlineData("http://10.1.2.3/v.m3u8", "forbidden_source")]
    [InlineData("http://192.168.0.10/v.mp4", "forbidden_source")]
    [InlineData("http://[::1]/v.mp4", "forbidden_source")]
    [InlineData("http://[fd00::1]/v.mp4", "forbidden_source")]
    [InlineData("http://[::ffff:127.0.0.1]/v.mp4", "forbidden_source")]
    [InlineData("http://[::127.0.0.1]/v.mp4", "forbidden_source")]
    [InlineData("http://[2002:7f00:1::]/v.mp4", "forbidden_source")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/v.mp4", "forbidden_source")]
    [InlineData("http://0.0.0.0/v.mp4", "forbidden_source")]
    public async Task Register_WithRefusedSource_Returns400_AndStoresNothing(string url, string code)
    {
        var user = await factory.CreateUserClientAsync();
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            await EnsureCreatorAsync(db);
        }

        var response = await user.Http.PostAsJsonAsync("/api/vods", new { creatorId = 9001, title = "x", sourceUrl = url });

        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
        await using var check = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        (await check.Vods.AnyAsync(v => v.SourceUrl.Contains("v.mp4") && !v.IsDemo)).Should().BeFalse();
    }

    [Fact]
    public async Task Register_WithAnFtpSource_SaysSoInASentence()
    {
        var user = await factory.CreateUserClientAsync();
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync())
        {
            await EnsureCreatorAsync(db);
        }

        var response = await user.Http.PostAsJsonAsync("/api/vods", new { creatorId = 9001, title = "x", sourceUrl = "ftp://example.com/v.mp4" });

        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_source_url");
        (await response.Content.ReadAsStringAsync()).Should().Contain("Only http and https sources are taken; this one is FTP.").And.NotContain("ftp:.");
    }

    [Theory]
    [InlineData("{\"creatorId\":9001,\"title\":\"\",\"sourceUrl\":\"https://example.com/v.mp4\"}", "invalid_title")]
    [InlineData("{\"title\":\"x\",\"sourceUrl\":\"https://example.com/v.mp4\"}", "invalid_creator_id")]
    [InlineData("{\"creatorId\":\"abc\",\"title\":\"x\",\"sourceUrl\":\"https://example.com/v.mp4\"}", "invalid_json")]
    [InlineData("{\"creatorId\":9001,\"title\":\"x\",\"sourceUrl\":\"javascript:alert(1)\"}", "invalid_source_url")]
    [InlineData("{\"creatorId\":9001,\"title\":\"x\"}", "invalid_source_url")]
    [InlineData("{\"creatorId\":9001,", "invalid_json")]
    public async Task Register_WithMalformedBody_Returns400(string json, string code)
    {
        var user = await factory.CreateUserClientAsync();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await user.Http.PostAsync("/api/vods", content);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task ClipEndpoints_AnswerErrorBodies_ForUnknownIdsAndMissingSignatures()
    {
        var user = await factory.CreateUserClientAsync();
        await (await user.Http.GetAsync($"/api/clips/status/{Guid.NewGuid()}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "clip_not_found");
        await (await user.Http.GetAsync("/api/clips/status/not-a-guid")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound);
        await (await user.Http.GetAsync($"/api/vods/{Guid.NewGuid()}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "vod_not_found");
        await (await factory.CreateApiClient().GetAsync($"/api/clips/file/{Guid.NewGuid():N}")).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "invalid_link");
        await (await factory.CreateApiClient().GetAsync($"/api/clips/status/{Guid.NewGuid()}")).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
        await (await factory.CreateApiClient().PostAsJsonAsync("/api/vods", new { creatorId = 1, title = "x", sourceUrl = "https://example.com/v.mp4" })).ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Register_ForUnknownCreator_Returns404()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/vods", new { creatorId = 123456, title = "x", sourceUrl = "http://93.184.215.14/v.mp4" });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "creator_not_found");
    }
}

/// <summary>Remote sources served by a local Kestrel (private networks allowed for the test): MP4, HLS and a non-media page.</summary>
public sealed class RemoteVodTests : IClassFixture<RemoteVodTests.Fixture>
{
    private readonly Fixture _fixture;

    public RemoteVodTests(Fixture fixture) => _fixture = fixture;

    public sealed class Fixture : IAsyncLifetime
    {
        public ClipsWebFactory App { get; } = new();

        public WebApplication? Media { get; private set; }

        public Uri BaseUri { get; private set; } = null!;

        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "clip-terminal-media-" + Guid.NewGuid().ToString("N"));

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Folder);
            (Media, BaseUri) = await LoopbackOrigin.StartAsync(media =>
            {
                media.MapGet("/media/{name}", (string name) =>
                {
                    var path = Path.Combine(Folder, Path.GetFileName(name));
                    var type = name.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : name.EndsWith(".ts", StringComparison.Ordinal) ? "video/mp2t" : "video/mp4";
                    return File.Exists(path) ? Results.File(path, type, enableRangeProcessing: true) : Results.NotFound();
                });
                media.MapGet("/page.html", () => Results.Content("<html><body>not a video</body></html>", "text/html"));
            });

            // Private networks stay refused; only this one lab origin is let through (SPEC §4).
            App.Settings["Terminal:Media:AllowedPrivateOrigins:0"] = BaseUri.GetLeftPart(UriPartial.Authority);
            await LoopbackOrigin.WriteSourceAndHlsAsync(App.Services.GetRequiredService<FfmpegRunner>(), Folder, 8, "REMOTE");

            await using var db = await App.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
            await EnsureCreatorAsync(db);
        }

        public async Task DisposeAsync()
        {
            if (Media is not null)
            {
                await Media.DisposeAsync();
            }

            await App.DisposeAsync();
            Directory.Delete(Folder, recursive: true);
        }
    }

    private sealed record VodCreatedDto(Guid Id, string Status);

    private sealed record VodDetailDto(Guid Id, string Status, string? Error, double? DurationSeconds, int? Width, int? Height, string? VideoCodec, string? AudioCodec, string? ThumbnailUrl, string? MediaUrl);

    private async Task<VodDetailDto> RegisterAndWaitAsync(AuthenticatedClient user, string path, bool forPreview)
    {
        var response = await user.Http.PostAsJsonAsync("/api/vods", new { creatorId = 9001, title = "Remote " + path, sourceUrl = new Uri(_fixture.BaseUri, path).ToString() });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = (await response.Content.ReadFromJsonAsync<VodCreatedDto>())!;
        created.Status.Should().Be("probing");
        VodDetailDto? detail = null;
        await Wait.UntilAsync(async () =>
        {
            detail = await user.Http.GetFromJsonAsync<VodDetailDto>($"/api/vods/{created.Id}");
            return detail!.Status == "failed" || (detail.Status == "ready" && (!forPreview || detail.MediaUrl is not null));
        }, TimeSpan.FromSeconds(60), $"{path} is probed");
        return detail!;
    }

    [Theory]
    [InlineData("/media/source.mp4")]
    [InlineData("/media/index.m3u8")]
    public async Task RemoteSource_IsProbed_Previewed_AndCut(string path)
    {
        var user = await _fixture.App.CreateUserClientAsync();

        var vod = await RegisterAndWaitAsync(user, path, forPreview: true);

        vod.Status.Should().Be("ready", vod.Error);
        vod.DurationSeconds.Should().BeApproximately(8, 0.2);
        (vod.Width, vod.Height).Should().Be((480, 270));
        vod.VideoCodec.Should().Be("h264");
        (await user.Http.GetAsync(vod.ThumbnailUrl)).Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        var media = await user.Http.GetAsync(vod.MediaUrl);
        media.StatusCode.Should().Be(HttpStatusCode.OK);
        media.Content.Headers.ContentType!.MediaType.Should().Be("video/mp4");

        var request = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 2.2, endTime = 4.4, mode = "exact" });
        var accepted = (await request.Content.ReadFromJsonAsync<AcceptedDto>())!;
        var final = await WaitForFinalAsync(user.Http, accepted.RequestId, TimeSpan.FromSeconds(60));
        final.Status.Should().Be("ready", final.Error);
    }

    [Fact]
    public async Task NonMediaSource_Fails_WithTheGenericReason_NotAVideo()
    {
        var user = await _fixture.App.CreateUserClientAsync();
        var vod = await RegisterAndWaitAsync(user, "/page.html", forPreview: false);
        vod.Status.Should().Be("failed");
        vod.Error.Should().Be("not a video");
    }
}
