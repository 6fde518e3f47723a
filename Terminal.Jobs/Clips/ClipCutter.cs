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
public sealed class ClipCutter(FfmpegRunner runner, KeyframeProbe probe, HlsSegmentFetcher hls, IOptionsMonitor<ClipOptions> options, ILogger<ClipCutter> logger)
{
    // HLS: segments fetched beyond the range on each side (#EXTINF rounding, the first packets' offsets), and the head of the
    // first segment read for the source's start time (both streams' first packets are within it).
    private const double HlsMargin = 0.5;
    private const int HlsStartProbeBytes = 188 * 2048;

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

        // Progress only moves forward, also when a smart cut gives up part-way (an HLS source's segments were fetched)
        // and the full re-encode starts from zero.
        if (progress is { } report)
        {
            var highest = 0.0;
            progress = f =>
            {
                double seen, next;
                do
                {
                    seen = Volatile.Read(ref highest);
                    next = Math.Max(seen, f);
                }
                while (Interlocked.CompareExchange(ref highest, next, seen) != seen);
                report(next);
            };
        }

        string reason;
        if (options.CurrentValue.SmartCut)
        {
            var smart = await TrySmartAsync(input, startSeconds, startSeconds + durationSeconds, output, progress, cancellationToken);
            if (smart.Result is { Succeeded: true } result)
            {
                var elapsed = started.Elapsed;
                IndexLater(input);
                return new ClipCut(ClipCutStrategy.Smart, result, elapsed);
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
        if (input.RemoteSource is { } source && await OpenPlaylistAsync(source, cancellationToken) is { } playlist)
        {
            return await TrySmartHlsAsync(playlist, start, end, output, progress, cancellationToken);
        }

        var window = await probe.ProbeAsync(input, start, end, cancellationToken);
        if (window is null)
        {
            return (null, "the keyframe probe failed");
        }

        if (window.FormatName?.Split(',').Contains("mpegts", StringComparer.Ordinal) == true)
        {
            return await TrySmartMpegTsAsync(input, window, start, end, output, progress, cancellationToken);
        }

        var decision = await PlanAsync(window, start, end);
        if (decision.Plan is not { } plan)
        {
            return (null, decision.Reason);
        }

        progress?.Invoke(ProbeShare);
        return await RunSmartAsync(input, window, plan, output, progress, cancellationToken);
    }

    /// <summary>
    /// After a smart cut of a local VOD, reads its whole keyframe index in the background (once per file) so the next
    /// exact cut of it plans from memory. Started after the cut, not alongside it, so it never slows the clip it follows.
    /// </summary>
    private void IndexLater(MediaInput input)
    {
        if (!input.IsLocal || probe.TryCached(input, 0, 0) is not null)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await probe.IndexAsync(input, CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogDebug(e, "Keyframe index of {Source} not cached", Path.GetFileName(input.Url));
            }
        });
    }

    private async Task<SmartCutDecision> PlanAsync(KeyframeWindow window, double start, double end)
    {
        var hevc = window.Video.Codec == "hevc" && await HasHevcEncoderAsync();
        return SmartCutPlanner.Plan(window, start, end, hevc);
    }

    private async Task<HlsMediaPlaylist?> OpenPlaylistAsync(Uri source, CancellationToken cancellationToken)
    {
        try
        {
            return await hls.OpenAsync(source, cancellationToken);
        }
        catch (MediaFetchException e)
        {
            // Refused or unreachable here means the full re-encode through the proxy would be too: the clip fails with the generic reason.
            throw new MediaException(e.Reason, e.Message);
        }
    }

    /// <summary>
    /// Smart cut of an HLS source: ffmpeg's HLS demuxer starts a stream copy at a segment start, not at the keyframe
    /// asked for, so the segments holding the range are fetched (<see cref="HlsSegmentFetcher"/>, every URL held to the
    /// address rules) into one local MPEG-TS named after <paramref name="output"/>, and the cut runs on it. Times stay on
    /// the source's timeline — ffmpeg's <c>-ss</c> counts from the first packet of the first segment — so the plan is made
    /// against that start (read from the first segment's head when it is not fetched) and shifted onto the local file.
    /// </summary>
    private async Task<(FfmpegResult? Result, string Reason)> TrySmartHlsAsync(HlsMediaPlaylist playlist, double start, double end, string output, Action<double>? progress, CancellationToken cancellationToken)
    {
        if (playlist.Unsupported is { } unsupported)
        {
            return (null, "HLS source: " + unsupported);
        }

        var (first, last) = playlist.Span(start, end, HlsMargin);
        if (playlist.Segments.Skip(1).Take(last).Any(s => s.Discontinuity))
        {
            return (null, "HLS source: a discontinuity before the end of the range");
        }

        string local = output + ".hls.ts", startHead = output + ".hls-start.ts";
        try
        {
            var segments = playlist.Segments.Skip(first).Take(last - first + 1).ToList();
            if (!await hls.FetchAsync(segments, local, progress is null ? null : f => progress(f * ProbeShare * 0.8), cancellationToken))
            {
                return (null, "HLS source: segments are not MPEG-TS");
            }

            double? timelineStart;
            if (first == 0)
            {
                timelineStart = await probe.StartTimeAsync(LocalTs(local), cancellationToken);
            }
            else
            {
                timelineStart = await hls.FetchHeadAsync(playlist.Segments[0], startHead, HlsStartProbeBytes, cancellationToken)
                    ? await probe.StartTimeAsync(LocalTs(startHead), cancellationToken)
                    : null;
            }

            if (timelineStart is not { } sourceStart)
            {
                return (null, "HLS source: its start time could not be read");
            }

            return await SmartFromLocalTsAsync(local, sourceStart, start, end, last == playlist.Segments.Count - 1, "HLS source",
                "the fetched segments do not cover the range (the playlist's durations are off)", output, progress, cancellationToken);
        }
        catch (MediaFetchException e)
        {
            throw new MediaException(e.Reason, e.Message);
        }
        finally
        {
            TryDelete(local);
            TryDelete(startHead);
        }
    }

    /// <summary>
    /// Smart cut of an MPEG-TS source that is not HLS (a local file, or a remote one through the proxy): an MPEG-TS seek
    /// lands on any packet near the point, not on the keyframe before it, so a part decoded or copied from a seek could
    /// start on frames it cannot decode. The range — from a second before the keyframe at or before the start to past the
    /// end — is copied (timestamps kept) into a local MPEG-TS named after <paramref name="output"/>, and cut as an HLS
    /// source's fetched segments are (<see cref="SmartFromLocalTsAsync"/>).
    /// </summary>
    private async Task<(FfmpegResult? Result, string Reason)> TrySmartMpegTsAsync(MediaInput input, KeyframeWindow window, double start, double end, string output, Action<double>? progress, CancellationToken cancellationToken)
    {
        var video = window.Video;
        double At(VideoPacket p) => video.Seconds(p.Pts) - window.StartTime;
        var keyframe = window.Packets.Where(p => p.Key && p.Pts != long.MinValue).Select(At).Where(t => t <= Math.Round(start, 3) + 1e-6).DefaultIfEmpty(0).Max();
        var from = Math.Max(0, keyframe - TsCopyMarginSeconds);
        var toTheEnd = !window.Packets.Any(p => p.Pts != long.MinValue && At(p) >= end - 1e-6);
        var local = output + ".range.ts";
        try
        {
            // The input seek lands on a packet at or before the point, and the copy starts at the first keyframe from there:
            // at or before the one the cut needs. No mux delay: the copy keeps the source's timestamps exactly. REVIEW: with
            // -copyts, ffmpeg 5.1 ends an input -t on the packets' own timestamps (the copy stops at dts = t, not t after the
            // seek), so t is the range's end on the source's raw timeline; were it a duration from the seek, the copy would only
            // run longer, never short.
            var copy = await runner.RunAsync(new FfmpegCommand("ffmpeg",
                ["-v", "error", "-y", .. input.InputArguments(from), "-t", (window.StartTime + end + TsCopyMarginSeconds + KeyframeProbe.EndMarginSeconds).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
                 "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn", "-c", "copy", "-copyts", "-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts", local]), cancellationToken);
            if (!copy.Succeeded)
            {
                return (null, "MPEG-TS source: its range could not be copied");
            }

            return await SmartFromLocalTsAsync(local, window.StartTime, start, end, toTheEnd, "MPEG-TS source", "the copied packets do not cover the range", output, progress, cancellationToken);
        }
        finally
        {
            TryDelete(local);
        }
    }

    /// <summary>How far before the keyframe at or before the start an MPEG-TS source's range is copied from (and past the end).</summary>
    private const double TsCopyMarginSeconds = 1;

    /// <summary>
    /// Smart cut from a local MPEG-TS holding the range (<paramref name="local"/>, timestamps of the source kept): remuxed
    /// (copied) into an MP4, whose index seeks to keyframes, planned on the source's timeline (<paramref name="sourceStart"/>:
    /// where the source's <c>-ss</c> counts from) and shifted onto the local file. The audio is re-encoded from the MPEG-TS.
    /// <paramref name="kind"/> and <paramref name="uncovered"/> word the fallback reasons.
    /// </summary>
    private async Task<(FfmpegResult? Result, string Reason)> SmartFromLocalTsAsync(string local, double sourceStart, double start, double end, bool toTheEnd, string kind, string uncovered, string output, Action<double>? progress, CancellationToken cancellationToken)
    {
        var localMp4 = output + ".local.mp4";
        try
        {
            // An MPEG-TS seek lands on any packet near the point, not on a keyframe, so the parts could not start where
            // they must: the segments are remuxed (copied, timestamps kept) into an MP4, whose index seeks to keyframes.
            var remux = await runner.RunAsync(new FfmpegCommand("ffmpeg",
                ["-v", "error", "-y", .. LocalTs(local).InputArguments(), "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn", "-c", "copy", "-copyts",
                 "-video_track_timescale", "90000", "-f", "mp4", localMp4]), cancellationToken);
            if (!remux.Succeeded)
            {
                return (null, kind + ": its packets could not be remuxed");
            }

            await using var localInput = new MediaInput(localMp4, MediaInput.LocalProtocols, IsLocal: true) { FormatWhitelist = "mov,mp4,m4a,3gp" };
            var window = await probe.ProbeFromStartAsync(localInput, end, sourceStart, cancellationToken);
            if (window is null)
            {
                return (null, "the keyframe probe failed");
            }

            var onSource = window with { StartTime = sourceStart };
            if (!Covers(onSource, start, end, toTheEnd))
            {
                return (null, kind + ": " + uncovered);
            }

            var decision = await PlanAsync(onSource, start, end);
            if (decision.Plan is not { } plan)
            {
                return (null, decision.Reason);
            }

            progress?.Invoke(ProbeShare);

            // Local -ss = source time + (source start − local start): the local file starts at its first packet.
            var localPlan = plan.Shifted(sourceStart - window.StartTime);
            // The audio is re-encoded from the MPEG-TS itself, as for any MPEG-TS source (the remuxed MP4's audio ended ~30 ms short).
            return await RunSmartAsync(localInput, window with { FormatName = "mpegts" }, localPlan, output, progress, cancellationToken, LocalTs(local),
                ClipCommands.CanJoinFromSource(window));
        }
        finally
        {
            TryDelete(localMp4);
        }
    }

    /// <summary>A local MPEG-TS made of fetched bytes: opened as MPEG-TS only (never as a playlist that could name local files).</summary>
    private static MediaInput LocalTs(string path) => new(path, MediaInput.LocalProtocols, IsLocal: true) { FormatWhitelist = "mpegts" };

    /// <summary>
    /// True when the fetched packets hold the whole range: a keyframe at or before the first frame at or after the start
    /// (so that frame is there and decodable), and a frame at or after the end unless the source's last segment was fetched.
    /// </summary>
    private static bool Covers(KeyframeWindow window, double start, double end, bool toTheEnd)
    {
        double At(VideoPacket p) => window.Video.Seconds(p.Pts) - window.StartTime;
        var from = Math.Round(start, 3) + 1e-6;
        return window.Packets.Any(p => p.Key && p.Pts != long.MinValue && At(p) <= from) &&
               (toTheEnd || window.Packets.Any(p => p.Pts != long.MinValue && At(p) >= end - 1e-6));
    }

    private async Task<(FfmpegResult? Result, string Reason)> RunSmartAsync(MediaInput input, KeyframeWindow window, SmartCutPlan plan, string output, Action<double>? progress, CancellationToken cancellationToken, MediaInput? audioInput = null, bool? bodyFromSource = null)
    {
        if (input.IsLocal && (bodyFromSource ?? ClipCommands.CanJoinFromSource(window)))
        {
            return await RunSmartFromSourceAsync(input, window, plan, output, progress, audioInput, cancellationToken);
        }

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
                parts.Add(("audio", ClipCommands.SmartAudio(audioInput ?? input, plan, sourceAudio, audio), plan.Duration));
            }

            var failed = await RunPartsAsync(parts, progress, output, cancellationToken);
            if (failed is not null)
            {
                return (null, failed);
            }

            await File.WriteAllTextAsync(list, ClipCommands.SmartConcatList(plan, head, body, tail), cancellationToken);
            return Joined(await runner.RunAsync(JoinCommand(ClipCommands.SmartJoin(list, window.Audio is null || copyAudio ? null : audio, plan, output, copyAudio ? input : null), plan, progress), cancellationToken), output);
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
    /// Smart cut in two processes (<see cref="ClipCommands.CanJoinFromSource"/>): one ffmpeg re-encodes the head and the
    /// tail (<see cref="ClipCommands.SmartEdges"/>) while one ffmpeg joins them with the body read straight from the source
    /// (<see cref="ClipCommands.SmartSourceConcatList"/>) and the audio — copied from the source, or encoded from
    /// <paramref name="audioInput"/> (else the source) in the same process.
    /// </summary>
    /// <remarks>
    /// The two run side by side: the join starts with the encode and reads its concat list from a named pipe
    /// (<see cref="NamedPipe"/>), which it opens at start and which is written only once the head and tail are
    /// complete, so the join's start-up costs no wall time. Where no FIFO can be made, the list is a file written after
    /// the encode and the join starts then. A failed encode kills the waiting join; a join that ended early fails the cut.
    /// </remarks>
    private async Task<(FfmpegResult? Result, string Reason)> RunSmartFromSourceAsync(MediaInput input, KeyframeWindow window, SmartCutPlan plan, string output, Action<double>? progress, MediaInput? audioInput, CancellationToken cancellationToken)
    {
        string head = output + ".head.mp4", tail = output + ".tail.mp4", list = output + ".parts.ffconcat";
        var text = ClipCommands.SmartSourceConcatList(plan, head, Path.GetFullPath(input.Url), window.StartTime, tail);
        var copyAudio = audioInput is null && ClipCommands.CanCopyAudio(window);
        var join = JoinCommand(
            ClipCommands.SmartJoin(list, null, plan, output, copyAudio ? input : null, window.Audio is { } audio && !copyAudio ? (audioInput ?? input, audio) : null), plan, progress);
        var edges = ClipCommands.SmartEdges(input, plan, head, tail);
        try
        {
            if (edges is null || !options.CurrentValue.OverlapJoin || !NamedPipe.TryCreate(list))
            {
                if (edges is not null && await RunPartsAsync([("head and tail", edges, EdgeSeconds(plan))], progress, output, cancellationToken) is { } failed)
                {
                    return (null, failed);
                }

                await File.WriteAllTextAsync(list, text, cancellationToken);
                return Joined(await runner.RunAsync(join, cancellationToken), output);
            }

            using var stopJoin = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var joining = runner.RunAsync(join, stopJoin.Token);
            try
            {
                if (await RunPartsAsync([("head and tail", edges, EdgeSeconds(plan))], progress, output, cancellationToken) is { } failed)
                {
                    return (null, failed);
                }

                if (!await NamedPipe.WriteAsync(list, text, joining, cancellationToken))
                {
                    var early = await joining;
                    logger.LogWarning("Smart cut join of {Output} ended before it read its parts: {Reason}", Path.GetFileName(output), early.Reason);
                    return (null, "joining the parts failed");
                }

                return Joined(await joining, output);
            }
            finally
            {
                // A failed or cancelled encode (or a cancel while joining): the join must not outlive the cut.
                if (!joining.IsCompleted)
                {
                    await StopAsync(stopJoin, joining);
                }
            }
        }
        finally
        {
            TryDelete(head);
            TryDelete(tail);
            TryDelete(list);
        }
    }

    private static double EdgeSeconds(SmartCutPlan plan) => (plan.Keyframe - plan.First) + (plan.End - plan.BodyEnd);

    /// <summary>The join of a smart cut: the last share of the progress bar.</summary>
    private static FfmpegCommand JoinCommand(IReadOnlyList<string> arguments, SmartCutPlan plan, Action<double>? progress) =>
        new("ffmpeg", arguments, TimeSpan.FromSeconds(plan.Duration), progress is null ? null : f => progress(ProbeShare + PartsShare + f * (1 - ProbeShare - PartsShare)));

    private (FfmpegResult? Result, string Reason) Joined(FfmpegResult join, string output)
    {
        if (!join.Succeeded)
        {
            logger.LogWarning("Smart cut join of {Output} failed: {Reason}", Path.GetFileName(output), join.Reason);
            return (null, "joining the parts failed");
        }

        return (join, "smart");
    }

    /// <summary>Kills a join that waits for parts that will not come, and waits for it to be gone.</summary>
    private static async Task StopAsync(CancellationTokenSource stop, Task<FfmpegResult> joining)
    {
        await stop.CancelAsync();
        try
        {
            await joining;
        }
        catch (OperationCanceledException)
        {
            // killed, as asked
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
