using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Terminal.Jobs.Media;

/// <summary>
/// ffmpeg and ffprobe answer <c>-version</c>, each run through <see cref="FfmpegRunner"/> (the one owner of ffmpeg
/// processes: drained pipes, killed on cancellation and at shutdown) within <see cref="Timeout"/>. The answer is
/// cached once healthy: the binaries do not come and go.
/// </summary>
public sealed class FfmpegHealthCheck(FfmpegRunner runner) : IHealthCheck
{
    private HealthCheckResult? _cached;

    /// <summary>How long one <c>-version</c> run may take before the tool counts as not answering.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_cached is { Status: HealthStatus.Healthy } cached)
        {
            return cached;
        }

        var ffmpeg = await VersionAsync("ffmpeg", cancellationToken);
        var ffprobe = await VersionAsync("ffprobe", cancellationToken);
        var result = ffmpeg is not null && ffprobe is not null
            ? HealthCheckResult.Healthy(ffmpeg)
            : HealthCheckResult.Unhealthy($"{(ffmpeg is null ? "ffmpeg" : "ffprobe")} did not run; install it (apt-get install -y ffmpeg) or set Terminal:FFmpeg:BinaryFolder.");
        _cached = result;
        return result;
    }

    /// <summary>The first line of the tool's <c>-version</c> answer; null when it does not start, fails or times out.</summary>
    private async Task<string?> VersionAsync(string tool, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var result = await runner.RunAsync(new FfmpegCommand(tool, ["-version"]), timeout.Token);
            return result.Succeeded ? result.StdOut.Split('\n', 2)[0].Trim() : null;
        }
        catch (MediaException)
        {
            return null; // the binary is missing or cannot start
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // it did not answer within the timeout
        }
    }
}
