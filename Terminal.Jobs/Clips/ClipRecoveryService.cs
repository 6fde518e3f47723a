using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>
/// At start (SPEC §8 "a process killed mid-job loses nothing"): takes back the requests left
/// <c>processing</c> whose lease has lapsed — back to <c>pending</c>, or failed and refunded once they
/// used up their attempts — kills any ffmpeg still writing their temp files and deletes those files,
/// then queues every pending request again. A clip another node is running (its lease is live) is
/// left alone, with its temp file.
/// </summary>
public sealed class ClipRecoveryService(
    IClipRequests requests,
    ClipQueue queue,
    MediaPaths paths,
    TimeProvider time,
    IOptions<ClipOptions> options,
    ILogger<ClipRecoveryService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var taken = await requests.TakeBackExpiredLeasesAsync(time.GetUtcNow().UtcDateTime, options.Value.MaxAttempts, cancellationToken);
        var temps = taken.Select(id => Path.Combine(paths.ClipTempFolder, $"{id:N}.mp4")).ToList();
        KillOrphans(temps);
        foreach (var temp in temps)
        {
            DeleteTempFiles(temp);
        }

        var pending = await requests.PendingIdsAsync(cancellationToken);
        foreach (var id in pending)
        {
            await queue.EnqueueClipAsync(id, cancellationToken: cancellationToken);
        }

        if (taken.Count > 0 || pending.Count > 0)
        {
            logger.LogInformation("Clip recovery: {Taken} interrupted request(s) taken back, {Pending} pending request(s) queued", taken.Count, pending.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The clip's temp file and every file a cut names after it (<c>.head.ts</c>/<c>.head.mp4</c>, <c>.body.ts</c>, <c>.tail.ts</c>/<c>.tail.mp4</c>,
    /// <c>.audio.m4a</c>, <c>.parts.ffconcat</c>, an HLS source's <c>.hls.ts</c> / <c>.hls-start.ts</c>, an MPEG-TS source's <c>.range.ts</c>, their remux <c>.local.mp4</c>):
    /// a killed process never reached the <c>finally</c> that deletes them.
    /// </summary>
    private static void DeleteTempFiles(string temp)
    {
        File.Delete(temp);
        var folder = Path.GetDirectoryName(temp)!;
        foreach (var part in Directory.EnumerateFiles(folder, Path.GetFileName(temp) + ".*"))
        {
            File.Delete(part);
        }
    }

    /// <summary>ffmpeg processes whose command line writes one of <paramref name="temps"/>: left over by a killed app.</summary>
    private void KillOrphans(IReadOnlyList<string> temps)
    {
        if (!OperatingSystem.IsLinux() || temps.Count == 0)
        {
            return;
        }

        foreach (var process in Process.GetProcessesByName("ffmpeg"))
        {
            using (process)
            {
                try
                {
                    var commandLine = File.ReadAllText($"/proc/{process.Id}/cmdline");
                    if (temps.Any(temp => commandLine.Contains(temp, StringComparison.Ordinal)))
                    {
                        logger.LogWarning("Killing orphaned ffmpeg {Pid} left by an earlier run", process.Id);
                        process.Kill(entireProcessTree: true);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone meanwhile or not ours to read.
                }
            }
        }
    }
}
