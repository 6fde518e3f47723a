using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Jobs.Media;

namespace Terminal.Jobs.Clips;

/// <summary>How a cut went: the strategy that made the file and ffmpeg's result for it.</summary>
/// <param name="Elapsed">Wall time of the whole cut (probe and every ffmpeg run).</param>
/// <param name="FallbackReason">Why an exact cut was not smart-cut (null when it was, or for fast clips).</param>
public sealed record ClipCut(ClipCutStrategy Strategy, FfmpegResult Result, TimeSpan Elapsed, string? FallbackReason = null)
{
    public bool Succeeded => Result.Succeeded;
}

/// <summary>
/// Cuts a clip with the right strategy: <c>fast</c> → keyframe stream copy; <c>exact</c> → smart cut
/// (<see cref="SmartCutPlanner"/>: re-encode only the partial GOPs at the ends, copy the rest, join
/// without re-encoding) when the source allows it, else the plain full re-encode. Every process goes
/// through <see cref="FfmpegRunner"/> (progress, cancel, drained pipes); every file it writes is named
/// after <c>output</c> inside the same temp folder, so crash recovery and the orphan sweep cover them,
/// and the caller renames <c>output</c> into place only when the cut succeeded.
/// </summary>
public sealed class ClipCutter(FfmpegRunner runner, KeyframeProbe probe, IOptionsMonitor<ClipOptions> options, ILogger<ClipCutter> logger)
{
    // Share of the progress bar per smart-cut phase: probe, parts (mostly the head/tail encodes), join (audio + mux).
    private const double ProbeShare = 0.05;
    private const double PartsShare = 0.6;

    private Task<bool>? _hevcEncoder;

    public async Task<ClipCut> CutAsync(MediaInput input, ClipMode mode, double startSeconds, double durationSeconds, string output, Action<double>? progress, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        if (mode == ClipMode.Fast)
        {
            return new ClipCut(ClipCutStrategy.Copy, await RunCutAsync(input, mode, startSeconds, durationSeconds, output, progress, cancellationToken), started.Elapsed);
        }

        string reason;
        if (options.CurrentValue.SmartCut)
        {
            var smart = await TrySmartAsync(input, startSeconds, startSeconds + durationSeconds, output, progress, cancellationToken);
            if (smart.Result is { Succeeded: true } result)
            {
                return new ClipCut(ClipCutStrategy.Smart, result, started.Elapsed);
            }

            reason = smart.Reason;
            logger.LogInformation("Exact clip {Output}: no smart cut ({Reason}); re-encoding the whole range", Path.GetFileName(output), reason);
        }
        else
        {
            reason = "smart cut is off (Terminal:Clips:SmartCut)";
        }

        var full = await RunCutAsync(input, mode, startSeconds, durationSeconds, output, progress, cancellationToken);
        return new ClipCut(ClipCutStrategy.Reencode, full, started.Elapsed, reason);
    }

    private async Task<(FfmpegResult? Result, string Reason)> TrySmartAsync(MediaInput input, double start, double end, string output, Action<double>? progress, CancellationToken cancellationToken)
    {
        var window = await probe.ProbeAsync(input, start, end, cancellationToken);
        if (window is null)
        {
            return (null, "the keyframe probe failed");
        }

        var hevc = window.Video.Codec == "hevc" && await HasHevcEncoderAsync();
        var decision = SmartCutPlanner.Plan(window, start, end, hevc);
        if (decision.Plan is not { } plan)
        {
            return (null, decision.Reason);
        }

        progress?.Invoke(ProbeShare);
        string head = output + ".head.ts", body = output + ".body.ts", tail = output + ".tail.ts", audio = output + ".audio.m4a",
            list = output + ".parts.ffconcat";
        try
        {
            // The parts are independent: the head and tail encodes, the body copy and the audio encode run side by
            // side (each its own process — see ClipCommands.SmartHead), and the first failure stops the rest.
            List<(string Name, IReadOnlyList<string> Arguments, double Seconds)> parts = [("body", ClipCommands.SmartBody(input, plan, body), plan.BodyEnd - plan.Keyframe)];
            if (plan.HasHead)
            {
                parts.Add(("head", ClipCommands.SmartHead(input, plan, head), plan.Keyframe - plan.First));
            }

            if (plan.HasTail)
            {
                parts.Add(("tail", ClipCommands.SmartTail(input, plan, tail), plan.End - plan.BodyEnd));
            }

            // AAC in an MP4 is copied by the join itself; other audio is re-encoded alongside the video parts.
            var copyAudio = ClipCommands.CanCopyAudio(window);
            if (window.Audio is { } sourceAudio && !copyAudio)
            {
                parts.Add(("audio", ClipCommands.SmartAudio(input, plan, sourceAudio, audio), plan.Duration));
            }

            var failed = await RunPartsAsync(parts, progress, output, cancellationToken);
            if (failed is not null)
            {
                return (null, failed);
            }

            await File.WriteAllTextAsync(list, ClipCommands.SmartConcatList(plan, head, body, tail), cancellationToken);
            var join = await runner.RunAsync(
                new FfmpegCommand("ffmpeg", ClipCommands.SmartJoin(list, window.Audio is null || copyAudio ? null : audio, plan, output, copyAudio ? input : null), TimeSpan.FromSeconds(plan.Duration),
                    progress is null ? null : f => progress(ProbeShare + PartsShare + f * (1 - ProbeShare - PartsShare))),
                cancellationToken);
            if (!join.Succeeded)
            {
                logger.LogWarning("Smart cut join of {Output} failed: {Reason}", Path.GetFileName(output), join.Reason);
                return (null, "joining the parts failed");
            }

            return (join, "smart");
        }
        finally
        {
            foreach (var file in new[] { head, body, tail, audio, list })
            {
                TryDelete(file);
            }
        }
    }

    /// <summary>
    /// Runs the parts in parallel, each through <see cref="FfmpegRunner"/>; progress is their average weighted
    /// by the seconds each writes. Returns null when all succeeded, else why not (the others are cancelled).
    /// </summary>
    private async Task<string?> RunPartsAsync(IReadOnlyList<(string Name, IReadOnlyList<string> Arguments, double Seconds)> parts, Action<double>? progress, string output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var done = new double[parts.Count];
        var total = Math.Max(parts.Sum(p => p.Seconds), 1e-6);
        string? failure = null;

        async Task RunAsync(int index)
        {
            var (name, arguments, seconds) = parts[index];
            Action<double>? report = progress is null
                ? null
                : f =>
                {
                    Volatile.Write(ref done[index], f * seconds);
                    progress(ProbeShare + (done.Sum() / total * PartsShare));
                };
            var result = await runner.RunAsync(new FfmpegCommand("ffmpeg", arguments, TimeSpan.FromSeconds(Math.Max(seconds, 0.04)), report), stop.Token);
            if (!result.Succeeded && !cancellationToken.IsCancellationRequested && Interlocked.CompareExchange(ref failure, $"writing the {name} failed", null) is null)
            {
                logger.LogWarning("Smart cut {Part} of {Output} failed: {Reason}", name, Path.GetFileName(output), result.Reason);
                await stop.CancelAsync();
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, parts.Count).Select(RunAsync));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A sibling failed and cancelled this one: the failure is reported below.
        }

        cancellationToken.ThrowIfCancellationRequested();
        return failure;
    }

    private Task<FfmpegResult> RunCutAsync(MediaInput input, ClipMode mode, double start, double duration, string output, Action<double>? progress, CancellationToken cancellationToken) =>
        runner.RunAsync(new FfmpegCommand("ffmpeg", ClipCommands.Cut(input, mode, start, duration, output), TimeSpan.FromSeconds(duration), progress), cancellationToken);

    /// <summary>Whether this ffmpeg has libx265 (asked once; H.264 sources never ask).</summary>
    private Task<bool> HasHevcEncoderAsync() =>
        _hevcEncoder ??= AskAsync();

    private async Task<bool> AskAsync()
    {
        var result = await runner.RunAsync(new FfmpegCommand("ffmpeg", ["-v", "error", "-h", "encoder=libx265"]), CancellationToken.None);
        return result.Succeeded && result.StdOut.Contains("libx265", StringComparison.Ordinal);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Recovery and retention sweep the temp folder.
        }
    }
}
