using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Jobs.Media;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>
/// A remote media origin for the VOD pipeline's tests: a slim Kestrel app on a free loopback port (a lab
/// origin that <c>Terminal:Media:AllowedPrivateOrigins</c> lets through, or one the SSRF rules refuse),
/// and the media it serves, made with the app's own ffmpeg.
/// </summary>
public static class LoopbackOrigin
{
    /// <summary>Starts an app with the routes <paramref name="map"/> adds; returns it (the caller disposes it) and its address.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync();
            return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes <c>source.mp4</c> (ffmpeg's testsrc2 pattern, <paramref name="seconds"/> long, labelled
    /// <paramref name="label"/>) into <paramref name="folder"/>, and the same video as an HLS VOD of 2 s
    /// segments beside it: <c>index.m3u8</c> and <c>seg000.ts</c>, <c>seg001.ts</c>…
    /// </summary>
    public static async Task WriteSourceAndHlsAsync(FfmpegRunner runner, string folder, double seconds, string label)
    {
        var mp4 = Path.Combine(folder, "source.mp4");
        (await runner.RunAsync(new FfmpegCommand("ffmpeg", new DemoMediaSpec(seconds, Pattern: "testsrc2").Arguments(mp4, label)), CancellationToken.None)).Succeeded.Should().BeTrue();
        (await runner.RunAsync(new FfmpegCommand("ffmpeg",
            ["-v", "error", "-y", "-i", mp4, "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_filename", Path.Combine(folder, "seg%03d.ts"), Path.Combine(folder, "index.m3u8")]),
            CancellationToken.None)).Succeeded.Should().BeTrue();
    }
}
