using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Data;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>
/// At start (SPEC §8 "a process killed mid-job loses nothing"): kills any ffmpeg a previous run of this
/// data directory left writing into its temp folder, puts requests left <c>processing</c> back to
/// <c>pending</c> (or fails and refunds them once they used up their attempts), and queues every
/// pending request again. Nothing stays stuck.
/// </summary>
public sealed class ClipRecoveryService(
    IDbContextFactory<TerminalDbContext> dbFactory,
    ClipService clips,
    ClipQueue queue,
    MediaPaths paths,
    IOptions<ClipOptions> options,
    ILogger<ClipRecoveryService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        KillOrphans();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stuck = await db.ClipRequests.AsNoTracking().Where(c => c.Status == ClipStatus.Processing).ToListAsync(cancellationToken);
        foreach (var request in stuck)
        {
            if (request.Attempts >= options.Value.MaxAttempts)
            {
                await clips.FinishAsync(db, request, [ClipStatus.Processing], ClipStatus.Failed,
                    $"Interrupted {request.Attempts} times; the credits were refunded.", refund: true, cancellationToken);
            }
            else
            {
                await db.ClipRequests.Where(c => c.Id == request.Id && c.Status == ClipStatus.Processing)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClipStatus.Pending).SetProperty(c => c.Progress, 0).SetProperty(c => c.Worker, (string?)null), cancellationToken);
            }
        }

        foreach (var temp in Directory.EnumerateFiles(paths.ClipTempFolder))
        {
            File.Delete(temp);
        }

        var pending = await db.ClipRequests.AsNoTracking().Where(c => c.Status == ClipStatus.Pending).OrderBy(c => c.CreatedAt).Select(c => c.Id).ToListAsync(cancellationToken);
        foreach (var id in pending)
        {
            await queue.EnqueueClipAsync(id, cancellationToken: cancellationToken);
        }

        if (stuck.Count > 0 || pending.Count > 0)
        {
            logger.LogInformation("Clip recovery: {Stuck} interrupted request(s) reset, {Pending} pending request(s) queued", stuck.Count, pending.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>ffmpeg processes whose command line writes into this data directory's clip temp folder: left over by a killed app.</summary>
    private void KillOrphans()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var marker = paths.ClipTempFolder + Path.DirectorySeparatorChar;
        foreach (var process in Process.GetProcessesByName("ffmpeg"))
        {
            using (process)
            {
                try
                {
                    var commandLine = File.ReadAllText($"/proc/{process.Id}/cmdline");
                    if (commandLine.Contains(marker, StringComparison.Ordinal))
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
