using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>
/// Takes back the clip requests left <c>processing</c> whose lease has lapsed (their worker died or stalled):
/// back to <c>pending</c>, or failed and refunded once they used up their attempts. Kills any ffmpeg on this
/// node still writing their temp files and deletes those files — only theirs: a clip whose lease is live stays
/// with its worker and its files. Used at start (<see cref="ClipRecoveryService"/>) and every minute
/// (<see cref="ClipLeaseRecoveryJob"/>).
/// </summary>
public sealed class ExpiredClipLeases(
    IClipRequests requests,
    MediaPaths paths,
    TimeProvider time,
    IOptions<ClipOptions> options,
    ILogger<ExpiredClipLeases> logger)
{
    /// <summary>Takes back every lapsed lease; returns the ids taken back (now pending, or failed and refunded).</summary>
    public async Task<IReadOnlyList<Guid>> TakeBackAsync(CancellationToken cancellationToken)
    {
        var taken = await requests.TakeBackExpiredLeasesAsync(time.GetUtcNow().UtcDateTime, options.Value.MaxAttempts, cancellationToken);
        var temps = taken.Select(id => Path.Combine(paths.ClipTempFolder, $"{id:N}.mp4")).ToList();
        KillOrphans(temps);
        foreach (var temp in temps)
        {
            DeleteTempFiles(temp);
        }

        return taken;
    }

    /// <summary>
    /// The clip's temp file and every file a cut names after it (<c>.head.ts</c>/<c>.head.mp4</c>, <c>.body.ts</c>, <c>.tail.ts</c>/<c>.tail.mp4</c>,
    /// <c>.audio.m4a</c>, <c>.parts.ffconcat</c>, an HLS source's <c>.hls.ts</c> / <c>.hls.mp4</c> / <c>.hls-start.ts</c>, an MPEG-TS source's <c>.range.ts</c>, their remux <c>.local.mp4</c>):
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
                        logger.LogWarning("Killing orphaned ffmpeg {Pid}: it writes a clip whose lease lapsed", process.Id);
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
