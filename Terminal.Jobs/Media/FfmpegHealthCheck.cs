using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Terminal.Jobs.Media;

/// <summary>ffmpeg and ffprobe answer <c>-version</c>. The answer is cached: the binaries do not come and go.</summary>
public sealed class FfmpegHealthCheck(IOptions<FfmpegOptions> options) : IHealthCheck
{
    private HealthCheckResult? _cached;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_cached is { Status: HealthStatus.Healthy } cached)
        {
            return cached;
        }

        var ffmpeg = await VersionAsync(options.Value.Tool("ffmpeg"), cancellationToken);
        var ffprobe = await VersionAsync(options.Value.Tool("ffprobe"), cancellationToken);
        var result = ffmpeg is not null && ffprobe is not null
            ? HealthCheckResult.Healthy(ffmpeg)
            : HealthCheckResult.Unhealthy($"{(ffmpeg is null ? "ffmpeg" : "ffprobe")} did not run; install it (apt-get install -y ffmpeg) or set Terminal:FFmpeg:BinaryFolder.");
        _cached = result;
        return result;
    }

    private static async Task<string?> VersionAsync(string tool, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, "-hide_banner -version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await stderr;
            var firstLine = (await stdout).Split('\n', 2)[0].Trim();
            return process.ExitCode == 0 ? firstLine : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
