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

/// <summary>
/// SSRF through the VOD pipeline (SPEC §4, §8): an allowed lab origin (<c>AllowedPrivateOrigins</c>) tries
/// to lead the pipeline to a second loopback server that the rules refuse — by a redirect, by a playlist
/// segment, by a name that resolves to loopback. Each VOD ends <c>failed</c> with <c>refused address</c>
/// and the refused server never sees a request.
/// </summary>
public sealed class VodSsrfTests : IClassFixture<VodSsrfTests.Fixture>
{
    private readonly Fixture _fixture;

    public VodSsrfTests(Fixture fixture) => _fixture = fixture;

    /// <summary>Resolves <c>rebind.test</c> to a public address twice (registration, the re-check at use) and to loopback when the pipeline connects.</summary>
    public sealed class RebindingResolver : HostResolver
    {
        private int _calls;

        public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            host == "rebind.test"
                ? Task.FromResult(new[] { Interlocked.Increment(ref _calls) <= 2 ? IPAddress.Parse("93.184.215.14") : IPAddress.Loopback })
                : base.ResolveAsync(host, cancellationToken);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public ClipsWebFactory App { get; } = new();

        public WebApplication Allowed { get; private set; } = null!;

        public WebApplication Refused { get; private set; } = null!;

        public Uri AllowedUri { get; private set; } = null!;

        public Uri RefusedUri { get; private set; } = null!;

        /// <summary>Requests that reached the refused server (must stay empty).</summary>
        public List<string> RefusedHits { get; } = [];

        /// <summary>Requests on the allowed server under <c>/rebind/</c> (reached only through the rebinding name).</summary>
        public List<string> RebindHits { get; } = [];

        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "clip-terminal-ssrf-" + Guid.NewGuid().ToString("N"));

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Folder);
            (Refused, RefusedUri) = await LoopbackOrigin.StartAsync(app => app.Run(context =>
            {
                lock (RefusedHits)
                {
                    RefusedHits.Add(context.Request.Path);
                }

                return Results.File(Path.Combine(Folder, "source.mp4"), "video/mp4").ExecuteAsync(context);
            }));
            (Allowed, AllowedUri) = await LoopbackOrigin.StartAsync(app =>
            {
                app.MapGet("/media/{name}", (string name) => Results.File(Path.Combine(Folder, Path.GetFileName(name)), name.EndsWith(".ts", StringComparison.Ordinal) ? "video/mp2t" : "video/mp4", enableRangeProcessing: true));
                app.MapGet("/redirect", () => Results.Redirect(new Uri(RefusedUri, "/internal/admin").ToString()));
                app.MapGet("/redirect-chain", () => Results.Redirect("/redirect"));
                app.MapGet("/bad.m3u8", () => Results.Text(
                    $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n{new Uri(AllowedUri, "/media/seg000.ts")}\n#EXTINF:2.0,\n{new Uri(RefusedUri, "/seg001.ts")}\n#EXT-X-ENDLIST\n",
                    "application/vnd.apple.mpegurl"));
                app.MapGet("/bad-key.m3u8", () => Results.Text(
                    $"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=AES-128,URI=\"{new Uri(RefusedUri, "/key")}\"\n#EXTINF:2.0,\n/media/seg000.ts\n#EXT-X-ENDLIST\n",
                    "text/plain"));
                app.MapGet("/hang/{n}", (string n, HttpContext context) => Task.Delay(Timeout.Infinite, context.RequestAborted));
                app.MapGet("/rebind/{name}", (string name, HttpContext context) =>
                {
                    lock (RebindHits)
                    {
                        RebindHits.Add(name);
                    }

                    return Results.File(Path.Combine(Folder, "source.mp4"), "video/mp4");
                });
            });

            App.Settings["Terminal:Media:ReadTimeoutSeconds"] = "3";
            App.Settings["Terminal:Media:AllowedPrivateOrigins:0"] = AllowedUri.GetLeftPart(UriPartial.Authority);
            App.ServiceOverrides.Add(s => s.AddSingleton<HostResolver, RebindingResolver>());
            await LoopbackOrigin.WriteSourceAndHlsAsync(App.Services.GetRequiredService<FfmpegRunner>(), Folder, 4, "SSRF");
            await using var db = await App.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
            await EnsureCreatorAsync(db);
        }

        public async Task DisposeAsync()
        {
            await Allowed.DisposeAsync();
            await Refused.DisposeAsync();
            await App.DisposeAsync();
            Directory.Delete(Folder, recursive: true);
        }
    }

    private sealed record VodCreatedDto(Guid Id, string Status);

    private sealed record VodDetailDto(Guid Id, string Status, string? Error);

    private async Task<VodDetailDto> RegisterAndWaitAsync(string sourceUrl)
    {
        var user = await _fixture.App.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/vods", new { creatorId = 9001, title = "ssrf", sourceUrl });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = (await response.Content.ReadFromJsonAsync<VodCreatedDto>())!;
        VodDetailDto? detail = null;
        await Wait.UntilAsync(async () =>
        {
            detail = await user.Http.GetFromJsonAsync<VodDetailDto>($"/api/vods/{created.Id}");
            return detail!.Status is "failed" or "ready";
        }, TimeSpan.FromSeconds(60), $"{sourceUrl} is probed");
        return detail!;
    }

    [Theory]
    [InlineData("/redirect")]
    [InlineData("/redirect-chain")]
    public async Task SourceRedirectingToARefusedAddress_Fails_RefusedAddress_AndNothingIsFetchedThere(string path)
    {
        var vod = await RegisterAndWaitAsync(new Uri(_fixture.AllowedUri, path).ToString());

        vod.Status.Should().Be("failed");
        vod.Error.Should().Be(MediaFailure.RefusedAddress);
        _fixture.RefusedHits.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/bad.m3u8")]
    [InlineData("/bad-key.m3u8")]
    public async Task PlaylistNamingARefusedAddress_Fails_RefusedAddress_AndNothingIsFetchedThere(string path)
    {
        var vod = await RegisterAndWaitAsync(new Uri(_fixture.AllowedUri, path).ToString());

        vod.Status.Should().Be("failed");
        vod.Error.Should().Be(MediaFailure.RefusedAddress);
        _fixture.RefusedHits.Should().BeEmpty();
    }

    [Fact]
    public async Task HostnameThatResolvesToLoopbackAtFetchTime_IsRefused()
    {
        var vod = await RegisterAndWaitAsync($"http://rebind.test:{_fixture.AllowedUri.Port}/rebind/source.mp4");

        vod.Status.Should().Be("failed");
        vod.Error.Should().Be(MediaFailure.RefusedAddress);
        _fixture.RebindHits.Should().BeEmpty();
    }

    [Fact]
    public async Task HangingSources_CapPendingProbesPerUser_AndFailTooSlow()
    {
        var user = await _fixture.App.CreateUserClientAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var created = await user.Http.PostAsJsonAsync("/api/vods", new { creatorId = 9001, title = "hang", sourceUrl = new Uri(_fixture.AllowedUri, $"/hang/{i}").ToString() });
            created.StatusCode.Should().Be(HttpStatusCode.Created);
            ids.Add((await created.Content.ReadFromJsonAsync<VodCreatedDto>())!.Id);
        }

        var fourth = await user.Http.PostAsJsonAsync("/api/vods", new { creatorId = 9001, title = "hang", sourceUrl = new Uri(_fixture.AllowedUri, "/hang/3").ToString() });
        await fourth.ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "too_many_pending_vods");

        foreach (var id in ids)
        {
            VodDetailDto? detail = null;
            await Wait.UntilAsync(async () =>
            {
                detail = await user.Http.GetFromJsonAsync<VodDetailDto>($"/api/vods/{id}");
                return detail!.Status != "probing";
            }, TimeSpan.FromSeconds(90), "the hanging source gives up");
            detail!.Status.Should().Be("failed");
            detail.Error.Should().Be(MediaFailure.TooSlow);
        }
    }

    [Fact]
    public async Task SourceOnTheAllowedOrigin_IsStillProbed()
    {
        var vod = await RegisterAndWaitAsync(new Uri(_fixture.AllowedUri, "/media/index.m3u8").ToString());

        vod.Status.Should().Be("ready", vod.Error);
    }
}
