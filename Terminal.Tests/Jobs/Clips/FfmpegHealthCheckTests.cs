using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;

namespace Terminal.Tests.Jobs.Clips;

/// <summary>The ffmpeg health check runs <c>-version</c> through <see cref="FfmpegRunner"/>, the one owner of ffmpeg processes.</summary>
public sealed class FfmpegHealthCheckTests
{
    private static FfmpegRunner Runner(string? binaryFolder = null) =>
        new(Options.Create(new FfmpegOptions { BinaryFolder = binaryFolder }), Options.Create(new ClipOptions()), NullLogger<FfmpegRunner>.Instance);

    [Fact]
    public async Task InstalledTools_AreHealthy_WithFfmpegsVersionLine_RunThroughTheRunner_AndCached()
    {
        using var runner = Runner();
        var check = new FfmpegHealthCheck(runner);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Healthy);
        result.Description.Should().StartWith("ffmpeg version");
        runner.RunsStarted.Should().Be(2, "ffmpeg and ffprobe each answer -version through the runner");
        runner.RunningProcessIds.Should().BeEmpty();

        (await check.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Healthy);
        runner.RunsStarted.Should().Be(2, "a healthy answer is cached");
    }

    [Fact]
    public async Task MissingTools_AreUnhealthy_WithTheFix_AndAskedAgainNextTime()
    {
        var empty = Directory.CreateTempSubdirectory("no-ffmpeg-");
        try
        {
            using var runner = Runner(empty.FullName);
            var check = new FfmpegHealthCheck(runner);

            var result = await check.CheckHealthAsync(new HealthCheckContext());

            result.Status.Should().Be(HealthStatus.Unhealthy);
            result.Description.Should().Contain("ffmpeg did not run").And.Contain("Terminal:FFmpeg:BinaryFolder");
            await check.CheckHealthAsync(new HealthCheckContext());
            runner.RunsStarted.Should().Be(4, "an unhealthy answer is not cached");
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AToolThatDoesNotAnswer_IsUnhealthy_AfterTheTimeout_AndLeavesNoProcess()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the stand-in tools are shell scripts
        }

        var folder = Directory.CreateTempSubdirectory("slow-ffmpeg-");
        try
        {
            foreach (var tool in new[] { "ffmpeg", "ffprobe" })
            {
                var path = Path.Combine(folder.FullName, tool);
                await File.WriteAllTextAsync(path, "#!/bin/sh\nexec sleep 30\n");
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            using var runner = new FfmpegRunner(Options.Create(new FfmpegOptions { BinaryFolder = folder.FullName }), Options.Create(new ClipOptions()), NullLogger<FfmpegRunner>.Instance)
            {
                CancelGrace = TimeSpan.FromMilliseconds(200),
            };
            var check = new FfmpegHealthCheck(runner) { Timeout = TimeSpan.FromMilliseconds(300) };
            var started = System.Diagnostics.Stopwatch.StartNew();

            var result = await check.CheckHealthAsync(new HealthCheckContext());

            result.Status.Should().Be(HealthStatus.Unhealthy);
            started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the runner stops a tool that does not answer");
            runner.RunningProcessIds.Should().BeEmpty();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
