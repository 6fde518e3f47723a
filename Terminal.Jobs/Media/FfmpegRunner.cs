using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Terminal.Jobs.Media;

/// <summary>One ffmpeg or ffprobe invocation.</summary>
/// <param name="Tool"><c>ffmpeg</c> or <c>ffprobe</c>.</param>
/// <param name="Arguments">Arguments, one per item (never a shell string).</param>
/// <param name="ExpectedDuration">Output duration, for progress as a fraction; null for none.</param>
/// <param name="Progress">Receives 0–1 as ffmpeg reports <c>out_time</c> (ffmpeg only).</param>
public sealed record FfmpegCommand(string Tool, IReadOnlyList<string> Arguments, TimeSpan? ExpectedDuration = null, Action<double>? Progress = null);

/// <summary>How a run ended. <see cref="StdErrTail"/> holds the last lines ffmpeg wrote (its error, usually).</summary>
public sealed record FfmpegResult(int ExitCode, string StdOut, string StdErrTail, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last non-empty stderr line: ffmpeg's reason for failing.</summary>
    public string Reason => StdErrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {ExitCode}";
}

/// <summary>
/// Owns every ffmpeg/ffprobe process of the app (CONVENTIONS "one class owns ffmpeg's lifecycle"):
/// drains stdout and stderr continuously on their own tasks (an undrained pipe deadlocks), parses
/// <c>-progress pipe:1</c>, and on cancellation sends <c>q</c>, waits a grace period, then kills the
/// process tree. A semaphore caps concurrent encodes (<see cref="AcquireEncodeSlotAsync"/>).
/// Disposing kills whatever is still running, so no ffmpeg outlives the app's shutdown.
/// </summary>
public sealed class FfmpegRunner : IDisposable
{
    private const int StdErrTailLines = 40;
    private readonly FfmpegOptions _options;
    private readonly ILogger<FfmpegRunner> _logger;
    private readonly SemaphoreSlim _encodeSlots;
    private readonly ConcurrentDictionary<int, Process> _running = new();
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _libraryRuns = new();
    private long _nextLibraryRun;

    public FfmpegRunner(IOptions<FfmpegOptions> options, IOptions<Clips.ClipOptions> clips, ILogger<FfmpegRunner> logger)
    {
        _options = options.Value;
        _logger = logger;
        MaxConcurrentEncodes = clips.Value.MaxConcurrentJobs;
        _encodeSlots = new SemaphoreSlim(MaxConcurrentEncodes, MaxConcurrentEncodes);
    }

    /// <summary>Grace period between <c>q</c> and killing the tree.</summary>
    public TimeSpan CancelGrace { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxConcurrentEncodes { get; }

    /// <summary>Ids of the processes running now (ADMIN, tests that check nothing is left behind).</summary>
    public IReadOnlyCollection<int> RunningProcessIds => _running.Keys.ToArray();

    private long _started;

    /// <summary>How many ffmpeg/ffprobe runs this runner was asked for (tests and the clip bench count a cut's processes).</summary>
    public long RunsStarted => Interlocked.Read(ref _started);
    /// <summary>Calls of <see cref="RunLibraryAsync{T}"/> under way (each has started, or is about to start, one process).</summary>
    public int RunningLibraryCalls => _libraryRuns.Count;

    /// <summary>
    /// Runs a library call that starts its own ffprobe — FFMpegCore's <c>FFProbe.AnalyseAsync</c>, which starts the
    /// process through the Instances library and offers no hook to hand it to us — under this runner's lifecycle.
    /// The library kills its process (SIGKILL, <c>Process.Kill</c>) when the token it was given is cancelled, and only
    /// returns once the process has exited and both pipes are closed; what it lacks is made up here:
    /// <list type="bullet">
    /// <item>the token <paramref name="run"/> gets is also cancelled when the runner is disposed (the app stops), like
    /// the processes in <see cref="RunningProcessIds"/>, so no probe outlives the app;</item>
    /// <item>that token is cancelled only by this method, inside a try/catch: the library's kill runs as a callback
    /// inside <c>Cancel()</c>, and an exception from it would otherwise surface on whoever cancelled the caller's token
    /// — a timer thread for <c>CancelAfter</c>, where it would take the app down.</item>
    /// </list>
    /// </summary>
    public async Task<T> RunLibraryAsync<T>(Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var kill = new CancellationTokenSource();
        var id = Interlocked.Increment(ref _nextLibraryRun);
        _libraryRuns[id] = kill;
        try
        {
            using var forward = cancellationToken.Register(() => Trip(kill));
            try
            {
                return await run(kill.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        finally
        {
            _libraryRuns.TryRemove(id, out _);
        }
    }

    private void Trip(CancellationTokenSource kill)
    {
        try
        {
            kill.Cancel();
        }
        catch (AggregateException e)
        {
            _logger.LogError(e, "Cancelling a library-started ffprobe failed; it ends at its own read timeout");
        }
        catch (ObjectDisposedException)
        {
            // The call finished meanwhile.
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for an encode slot; null when none freed up.</summary>
    public async Task<IDisposable?> AcquireEncodeSlotAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        return await _encodeSlots.WaitAsync(timeout, cancellationToken) ? new Slot(_encodeSlots) : null;
    }

    public async Task<FfmpegResult> RunAsync(FfmpegCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _started);
        var withProgress = command.Tool == "ffmpeg" && command.Progress is not null;
        var start = new ProcessStartInfo(_options.Tool(command.Tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-hide_banner");
        if (withProgress)
        {
            start.ArgumentList.Add("-progress");
            start.ArgumentList.Add("pipe:1");
            start.ArgumentList.Add("-nostats");
        }

        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new MediaException($"{command.Tool} could not start ({e.Message}); install ffmpeg or set Terminal:FFmpeg:BinaryFolder.");
        }

        var pid = process.Id;
        _running[pid] = process;
        try
        {
            var stdout = new StringBuilder();
            var stderrTail = new Queue<string>();
            var stdoutTask = DrainStdOutAsync(process.StandardOutput, withProgress ? line => ReportProgress(line, command) : line => stdout.AppendLine(line));
            var stderrTask = DrainAsync(process.StandardError, line =>
            {
                lock (stderrTail)
                {
                    stderrTail.Enqueue(line);
                    if (stderrTail.Count > StdErrTailLines)
                    {
                        stderrTail.Dequeue();
                    }
                }
            });

            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await StopAsync(process);
                throw;
            }

            await Task.WhenAll(stdoutTask, stderrTask);
            string tail;
            lock (stderrTail)
            {
                tail = string.Join('\n', stderrTail);
            }

            if (withProgress && process.ExitCode == 0)
            {
                command.Progress!(1);
            }

            return new FfmpegResult(process.ExitCode, stdout.ToString(), tail, stopwatch.Elapsed);
        }
        finally
        {
            _running.TryRemove(pid, out _);
        }
    }

    /// <summary>Asks ffmpeg to finish (<c>q</c> on stdin), then kills the process tree after <see cref="CancelGrace"/>.</summary>
    private async Task StopAsync(Process process)
    {
        try
        {
            await process.StandardInput.WriteAsync('q');
            await process.StandardInput.FlushAsync();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Already gone or stdin closed: the kill below settles it.
        }

        using var grace = new CancellationTokenSource(CancelGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("ffmpeg {Pid} ignored q for {Grace}; killing its process tree", process.Id, CancelGrace);
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    private static void ReportProgress(string line, FfmpegCommand command)
    {
        // -progress writes key=value lines; out_time_us (or out_time_ms, also microseconds) is the output position.
        if (command.ExpectedDuration is not { TotalSeconds: > 0 } total ||
            !(line.StartsWith("out_time_us=", StringComparison.Ordinal) || line.StartsWith("out_time_ms=", StringComparison.Ordinal)))
        {
            return;
        }

        if (long.TryParse(line.AsSpan(12), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros) && micros >= 0)
        {
            command.Progress!(Math.Clamp(micros / 1_000_000.0 / total.TotalSeconds, 0, 0.999));
        }
    }

    private static async Task DrainStdOutAsync(StreamReader reader, Action<string> onLine) => await DrainAsync(reader, onLine);

    private static async Task DrainAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }

    public void Dispose()
    {
        foreach (var process in _running.Values)
        {
            Kill(process);
        }

        foreach (var kill in _libraryRuns.Values)
        {
            Trip(kill);
        }

        _encodeSlots.Dispose();
    }

    private sealed class Slot(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
