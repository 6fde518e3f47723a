using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;
using Terminal.Tests.Infrastructure;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

public sealed class ClipApiTests(ClipsWebFactory factory) : IClassFixture<ClipsWebFactory>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    private async Task<HttpResponseMessage> PostRawAsync(HttpClient client, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await client.PostAsync("/api/clips/request", content);
    }

    [Theory]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":5,\"endTime\":5,\"mode\":\"fast\"}", "invalid_range")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":6,\"endTime\":5,\"mode\":\"fast\"}", "invalid_range")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":-1,\"endTime\":5,\"mode\":\"fast\"}", "invalid_range")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":1,\"endTime\":20.5,\"mode\":\"fast\"}", "invalid_range")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":1,\"endTime\":1e308,\"mode\":\"fast\"}", "invalid_range")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":1,\"endTime\":1e400,\"mode\":\"fast\"}", null)]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":NaN,\"endTime\":5,\"mode\":\"fast\"}", "invalid_json")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":\"NaN\",\"endTime\":5,\"mode\":\"fast\"}", "invalid_json")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":\"Infinity\",\"endTime\":5,\"mode\":\"exact\"}", "invalid_json")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":1,\"endTime\":5,\"mode\":\"slow\"}", "invalid_mode")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":1,\"mode\":\"fast\"}", "invalid_range")]
    [InlineData("{\"vodId\":\"{VOD}\",\"startTime\":1,\"endTime\":5", "invalid_json")]
    public async Task Request_WithBadInput_Returns400_AndChargesNothing(string template, string? code)
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 20);

        var response = await PostRawAsync(user.Http, template.Replace("{VOD}", vod.Id.ToString()));

        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
        (await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Credits.Should().Be(20);
    }

    [Fact]
    public async Task Request_ForUnknownVod_Returns404()
    {
        var user = await factory.CreateUserClientAsync();
        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = Guid.NewGuid(), startTime = 1, endTime = 2, mode = "fast" });
        await response.ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "vod_not_found");
    }

    [Fact]
    public async Task Request_CostingMoreThanTheBalance_Returns402()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 3600);

        // 20 min 0.5 s = 21 started minutes > 20 starting credits.
        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 0, endTime = 1200.5, mode = "fast" });

        await response.ShouldBeApiErrorAsync(HttpStatusCode.PaymentRequired, "insufficient_credits");
        (await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Credits.Should().Be(20);
    }

    [Fact]
    public async Task ExactClip_IsFrameAccurate_AndDownloadsWithRange()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 12);
        const double start = 3.517, end = 5.233;

        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = start, endTime = end, mode = "exact" });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;
        accepted.Status.Should().Be("pending");
        accepted.EstimatedCompletion.Should().BeAfter(DateTime.UtcNow.AddSeconds(-5));
        (await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Credits.Should().Be(19);

        var final = await WaitForFinalAsync(user.Http, accepted.RequestId, JobTimeout);
        final.Status.Should().Be("ready", final.Error);
        final.Progress.Should().Be(100);

        var link = (await user.Http.GetFromJsonAsync<DownloadDto>($"/api/clips/download/{accepted.RequestId}"))!;
        link.ExpiresAt.Should().BeAfter(DateTime.UtcNow);
        var anonymous = factory.CreateApiClient();
        var path = new Uri(link.Url).PathAndQuery;
        var clipFile = Path.Combine(factory.DataDirectory, "clip-under-test-" + Guid.NewGuid().ToString("N") + ".mp4");
        var download = await anonymous.GetAsync(path);
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.Should().Be("video/mp4");
        await File.WriteAllBytesAsync(clipFile, await download.Content.ReadAsByteArrayAsync());

        using var ranged = new HttpRequestMessage(HttpMethod.Get, path);
        ranged.Headers.Range = new RangeHeaderValue(0, 99);
        var partial = await anonymous.SendAsync(ranged);
        partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).Length.Should().Be(100);

        // Duration within one frame of the request (25 fps source).
        var (frames, fps) = await MediaCheck.VideoFramesAsync(clipFile);
        fps.Should().BeApproximately(25, 0.01);
        (frames / fps).Should().BeApproximately(end - start, 1 / fps);

        // First frame = the first source frame at or after the start: frame ceil(3.517 × 25) = 88.
        var source = Path.Combine(factory.DataDirectory, "media", "demo", $"{vod.Id:N}.mp4");
        var expected = (int)Math.Ceiling(start * 25);
        var candidates = await MediaCheck.GreyFramesAsync(source, expected - 2, 5, 480, 270);
        var first = (await MediaCheck.GreyFramesAsync(clipFile, 0, 1, 480, 270)).Single();
        var distances = candidates.Select(c => MediaCheck.MeanAbsoluteDifference(c, first)).ToArray();
        Array.IndexOf(distances, distances.Min()).Should().Be(2, "the clip must open on source frame {0}; distances {1}", expected, string.Join(", ", distances));
    }

    [Fact]
    public async Task FastClip_IsReady_StartingAtAKeyframeAtOrBeforeTheStart()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 12);

        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 4.5, endTime = 7.25, mode = "fast" });
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;
        var final = await WaitForFinalAsync(user.Http, accepted.RequestId, JobTimeout);

        final.Status.Should().Be("ready", final.Error);
        var row = await GetRequestAsync(factory.Services, accepted.RequestId);
        var file = Path.Combine(factory.DataDirectory, "clips", row.OutputFile!);
        var (frames, fps) = await MediaCheck.VideoFramesAsync(file);
        // Stream copy starts at the keyframe at or before 4.5 s (GOP 2 s → 4.0 s): between the request and one GOP more.
        (frames / fps).Should().BeInRange(2.75 - 1 / fps, 2.75 + 2 + 1 / fps);
        Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "clips", "tmp")).Should().BeEmpty("temp files are renamed or removed");
    }

    [Fact]
    public async Task AnotherUsersRequest_Is404_ForStatusDownloadAndCancel()
    {
        var owner = await factory.CreateUserClientAsync();
        var other = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 12);
        var response = await owner.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 1, endTime = 2, mode = "fast" });
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;

        await (await other.Http.GetAsync($"/api/clips/status/{accepted.RequestId}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "clip_not_found");
        await (await other.Http.GetAsync($"/api/clips/download/{accepted.RequestId}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "clip_not_found");
        await (await other.Http.PostAsync($"/api/clips/{accepted.RequestId}/cancel", null)).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "clip_not_found");
        (await other.Http.GetFromJsonAsync<List<StatusDto>>("/api/clips"))!.Should().BeEmpty();
    }

    [Fact]
    public async Task SignedLink_Tampered_Expired_OrForAnotherClip_Returns403()
    {
        var (user, accepted, link) = await ReadyClipWithLinkAsync();
        var uri = new Uri(link.Url);
        var anonymous = factory.CreateApiClient();
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var sig = query["sig"]!;
        var expires = long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture);

        var tampered = $"/api/clips/file/{accepted.RequestId:N}?expires={expires}&sig={(sig[0] == 'A' ? 'B' : 'A')}{sig[1..]}";
        await (await anonymous.GetAsync(tampered)).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "invalid_link");

        var longer = $"/api/clips/file/{accepted.RequestId:N}?expires={expires + 3600}&sig={sig}";
        await (await anonymous.GetAsync(longer)).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "invalid_link");

        var otherClip = $"/api/clips/file/{Guid.NewGuid():N}?expires={expires}&sig={sig}";
        await (await anonymous.GetAsync(otherClip)).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "invalid_link");

        var key = await File.ReadAllBytesAsync(Path.Combine(factory.DataDirectory, "clip-links.key"));
        var past = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds();
        var expired = $"/api/clips/file/{accepted.RequestId:N}?expires={past}&sig={SignedLinks.Sign(key, accepted.RequestId, past)}";
        await (await anonymous.GetAsync(expired)).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "invalid_link");

        (await anonymous.GetAsync(uri.PathAndQuery)).StatusCode.Should().Be(HttpStatusCode.OK, "the untouched link still works");
    }

    [Fact]
    public async Task Cancel_WhileProcessing_StopsFfmpeg_AndRefunds()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 150);
        var runner = factory.Services.GetRequiredService<FfmpegRunner>();
        // A smart cut of this VOD is one ~0.2 s join, too short to catch while it runs: this test cancels the
        // full re-encode (the option is read per cut; the monitor's cached value is restored below).
        var clipOptions = factory.Services.GetRequiredService<IOptionsMonitor<ClipOptions>>().CurrentValue;
        clipOptions.SmartCut = false;
        try
        {
            await CancelWhileProcessingAsync(user, vod, runner);
        }
        finally
        {
            clipOptions.SmartCut = true;
        }
    }

    private async Task CancelWhileProcessingAsync(AuthenticatedClient user, Terminal.Core.Market.Vod vod, FfmpegRunner runner)
    {
        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 0, endTime = 150, mode = "exact" });
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;
        (await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Credits.Should().Be(17);

        // Wait until the cut itself runs (the demo file is generated first).
        await Wait.UntilAsync(async () =>
        {
            var s = await user.Http.GetFromJsonAsync<StatusDto>($"/api/clips/status/{accepted.RequestId}");
            return s!.Status == "processing" && s.Progress > 0;
        }, JobTimeout, "the cut reports progress");
        var pids = runner.RunningProcessIds.ToArray();
        pids.Should().NotBeEmpty();

        var cancel = await user.Http.PostAsync($"/api/clips/{accepted.RequestId}/cancel", null);
        cancel.StatusCode.Should().Be(HttpStatusCode.OK);

        await Wait.UntilAsync(() => pids.All(MediaCheck.Exited), TimeSpan.FromSeconds(15), "ffmpeg exits after the cancel");
        (await user.Http.GetFromJsonAsync<StatusDto>($"/api/clips/status/{accepted.RequestId}"))!.Status.Should().Be("cancelled");
        (await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Credits.Should().Be(20);
        await Wait.UntilAsync(() => !Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "clips", "tmp")).Any(), TimeSpan.FromSeconds(10), "the partial clip is removed");
        await (await user.Http.PostAsync($"/api/clips/{accepted.RequestId}/cancel", null)).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "clip_finished");
    }

    [Fact]
    public async Task AdminQueue_IsForbiddenToUsers_AndAdminCanListAndRetry()
    {
        var user = await factory.CreateUserClientAsync();
        await (await user.Http.GetAsync("/api/admin/clips")).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden);
        await (await user.Http.PostAsync($"/api/admin/clips/{Guid.NewGuid()}/retry", null)).ShouldBeApiErrorAsync(HttpStatusCode.Forbidden);

        var vod = await SeedDemoVodAsync(factory.Services, 12);
        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 1, endTime = 3, mode = "fast" });
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;
        await WaitForFinalAsync(user.Http, accepted.RequestId, JobTimeout);

        var admin = await factory.AdminClientAsync();
        var ready = await admin.Http.GetFromJsonAsync<List<StatusDto>>("/api/admin/clips?status=ready");
        ready!.Select(r => r.RequestId).Should().Contain(accepted.RequestId);
        await (await admin.Http.GetAsync("/api/admin/clips?status=bogus")).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_status");
        await (await admin.Http.PostAsync($"/api/admin/clips/{accepted.RequestId}/retry", null)).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "clip_not_retryable");
    }

    [Theory]
    [InlineData("take=abc")]
    [InlineData("take=0")]
    [InlineData("take=1001")]
    public async Task AdminQueue_BadTake_Is400WithItsOneCode(string query)
    {
        var admin = await factory.AdminClientAsync();

        await (await admin.Http.GetAsync("/api/admin/clips?" + query)).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_take");
        (await admin.Http.GetAsync("/api/admin/clips?take=5&status=READY")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("take=0", "invalid_take")]
    [InlineData("take=501", "invalid_take")]
    [InlineData("take=ten", "invalid_take")]
    [InlineData("vodId=vod-1", "invalid_vod")]
    public async Task MyClips_BadQuery_Is400WithItsOneCode(string query, string code)
    {
        var user = await factory.CreateUserClientAsync();

        await (await user.Http.GetAsync("/api/clips?" + query)).ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
        (await user.Http.GetAsync($"/api/clips?take=500&vodId={Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("expires=soon&sig=abc")]
    [InlineData("expires=-1&sig=abc")]
    [InlineData("sig=abc")]
    public async Task FileLink_WithAMalformedExpiry_IsAnInvalidLink_NotAFramework400(string query)
    {
        var response = await factory.CreateApiClient().GetAsync($"/api/clips/file/{Guid.NewGuid()}?{query}");

        await response.ShouldBeApiErrorAsync(HttpStatusCode.Forbidden, "invalid_link");
    }

    [Fact]
    public async Task RetentionJob_DeletesExpiredClips_AndTheirLinksAnswer404()
    {
        var (user, accepted, link) = await ReadyClipWithLinkAsync();
        var file = Path.Combine(factory.DataDirectory, "clips", (await GetRequestAsync(factory.Services, accepted.RequestId)).OutputFile!);
        await using (var db = await factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Terminal.Data.TerminalDbContext>>().CreateDbContextAsync())
        {
            var row = await db.ClipRequests.FindAsync(accepted.RequestId);
            row!.ExpiresAt = DateTime.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        var deleted = await Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Terminal.Jobs.Clips.ClipRetentionJob>(factory.Services).SweepAsync(CancellationToken.None);

        deleted.Should().BeGreaterThanOrEqualTo(1);
        File.Exists(file).Should().BeFalse();
        await (await factory.CreateApiClient().GetAsync(new Uri(link.Url).PathAndQuery)).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "clip_expired");
        await (await user.Http.GetAsync($"/api/clips/download/{accepted.RequestId}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "clip_expired");
    }

    [Fact]
    public async Task Retry_OfAFailedClip_ChargesAgain_AndFinishes()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 12);
        var id = Guid.NewGuid();
        await using (var db = await factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Terminal.Data.TerminalDbContext>>().CreateDbContextAsync())
        {
            // A clip that failed and was refunded: the ledger nets to zero for it.
            db.ClipRequests.Add(new ClipRequest { Id = id, UserId = user.UserId, VodId = vod.Id, StartSeconds = 2, EndSeconds = 4, Mode = ClipMode.Exact, Status = ClipStatus.Failed, Error = "boom", Credits = 1, Charges = 1, Attempts = 1, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await (await user.Http.PostAsync($"/api/clips/{id}/retry", null)).Content.ReadAsStringAsync();
        (await user.Http.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Credits.Should().Be(19);
        var final = await WaitForFinalAsync(user.Http, id, JobTimeout);

        final.Status.Should().Be("ready", final.Error);
        final.Error.Should().BeNull();
        await (await user.Http.PostAsync($"/api/clips/{id}/retry", null)).ShouldBeApiErrorAsync(HttpStatusCode.Conflict, "clip_not_retryable");
    }

    /// <summary>A fresh user with a ready 1 s fast clip of a 12 s demo VOD and its download link.</summary>
    private async Task<(AuthenticatedClient User, AcceptedDto Accepted, DownloadDto Link)> ReadyClipWithLinkAsync()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 12);
        var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 1, endTime = 2, mode = "fast" });
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!;
        (await WaitForFinalAsync(user.Http, accepted.RequestId, JobTimeout)).Status.Should().Be("ready");
        var link = (await user.Http.GetFromJsonAsync<DownloadDto>($"/api/clips/download/{accepted.RequestId}"))!;
        return (user, accepted, link);
    }
}
