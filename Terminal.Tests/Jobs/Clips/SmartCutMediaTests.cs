using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Terminal.Core.Clips;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;
using Terminal.Tests.Browser;
using Terminal.Tests.Web.Features.Clips;

namespace Terminal.Tests.Jobs.Clips;

/// <summary>
/// Smart-cut clips made with real ffmpeg from a generated source with burned-in frame numbers
/// (testsrc2, 24 fps, GOP 48 fixed — keyframes every 2 s —, B-frames, AAC), read from a file and over
/// HLS from a loopback server. Frames are compared with ffmpeg's ssim filter against the source frame
/// at the expected index.
/// </summary>
public sealed partial class SmartCutMediaTests(SmartCutMediaTests.Fixture fixture) : IClassFixture<SmartCutMediaTests.Fixture>
{
    private const int Fps = 24;

    public sealed class Fixture : IAsyncLifetime
    {
        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "clip-terminal-smartcut-" + Guid.NewGuid().ToString("N"));

        public string Source => Path.Combine(Folder, "source.mp4");

        /// <summary>The same picture as H.265 (libx265, closed GOPs of 48, B-frames), 8 s: cut through the four-process route.</summary>
        public string HevcSource => Path.Combine(Folder, "source-hevc.mp4");

        /// <summary><see cref="Source"/> remuxed (copied) into MPEG-TS: a local MPEG-TS source, cut through the four-process route.</summary>
        public string TsSource => Path.Combine(Folder, "source.ts");

        /// <summary>10 s whose every 24th frame (each whole second) is a white flash and whose audio beeps (1 kHz, 40 ms) at each whole second.</summary>
        public string SyncSource => Path.Combine(Folder, "sync.mp4");

        public FfmpegRunner Runner { get; } = new(Options.Create(new FfmpegOptions()), Options.Create(new ClipOptions()), NullLogger<FfmpegRunner>.Instance);

        public StaticOptionsMonitor<ClipOptions> Settings { get; } = new(new ClipOptions());

        public ClipCutter Cutter { get; private set; } = null!;

        /// <summary>The address rules of the cutter's HLS fetches: only the test server's origin is allowed (loopback otherwise refused).</summary>
        public MediaOptions Media { get; } = new();

        public MediaHttpClient Http { get; private set; } = null!;

        /// <summary>Every request the media server got: file name and Range header.</summary>
        public ConcurrentQueue<(string Name, string Range)> Requests { get; } = new();

        public WebApplication? Server { get; private set; }

        public Uri BaseUri { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Folder);
            var media = Options.Create(Media);
            Http = new MediaHttpClient(new AddressPolicy(media), new HostResolver(), media, NullLogger<MediaHttpClient>.Instance);
            Cutter = new ClipCutter(Runner, new KeyframeProbe(Runner), new HlsSegmentFetcher(Http, media), Settings, NullLogger<ClipCutter>.Instance);
            var font = DemoMediaSpec.FontFile;
            await RunAsync("-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size=320x180:rate={Fps}", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "20", "-vf", $"drawtext=fontfile={font}:text='%{{frame_num}}':x=8:y=8:fontsize=48:fontcolor=white:box=1:boxcolor=black",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "48", "-keyint_min", "48", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", Source);
            await RunAsync("-v", "error", "-y", "-i", Source, "-c", "copy", "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod",
                "-hls_segment_filename", Path.Combine(Folder, "seg%03d.ts"), Path.Combine(Folder, "index.m3u8"));
            await RunAsync("-v", "error", "-y", "-i", Source, "-c:v", "mpeg4", "-q:v", "5", "-c:a", "copy", Path.Combine(Folder, "mpeg4.mp4"));
            await RunAsync("-v", "error", "-y", "-i", Source, "-map", "0", "-c", "copy", "-f", "mpegts", TsSource);
            await RunAsync("-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size=320x180:rate={Fps}", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "8", "-vf", $"drawtext=fontfile={font}:text='%{{frame_num}}':x=8:y=8:fontsize=48:fontcolor=white:box=1:boxcolor=black",
                "-c:v", "libx265", "-preset", "veryfast", "-x265-params", "log-level=error:keyint=48:min-keyint=48:scenecut=0:open-gop=0", "-tag:v", "hvc1",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", HevcSource);
            await RunAsync("-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size=320x180:rate={Fps}",
                "-f", "lavfi", "-i", "aevalsrc=if(lt(mod(t\\,1)\\,0.04)\\,0.8*sin(2*PI*1000*t)\\,0):s=48000",
                "-t", "10", "-vf", $"drawtext=fontfile={font}:text='%{{frame_num}}':x=8:y=8:fontsize=48:fontcolor=white:box=1:boxcolor=black,"
                    + $"drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='eq(mod(n\\,{Fps})\\,0)'",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "48", "-keyint_min", "48", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", SyncSource);
            await RunAsync("-v", "error", "-y", "-i", SyncSource, "-map", "0", "-c", "copy", "-f", "mpegts", Path.ChangeExtension(SyncSource, ".ts"));
            await RunAsync("-v", "error", "-y", "-i", HevcSource, "-map", "0", "-c", "copy", "-f", "mpegts", Path.ChangeExtension(HevcSource, ".ts"));

            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            Server = builder.Build();
            Server.MapGet("/media/{name}", (string name, HttpRequest request) =>
            {
                Requests.Enqueue((name, request.Headers.Range.ToString()));
                var path = Path.Combine(Folder, Path.GetFileName(name));
                var type = name.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : name.EndsWith(".ts", StringComparison.Ordinal) ? "video/mp2t" : "video/mp4";
                return File.Exists(path) ? Results.File(path, type, enableRangeProcessing: true) : Results.NotFound();
            });
            Server.MapGet("/play/{name}", (string name) => Results.Content(
                $"<!doctype html><html><body><video id=v muted playsinline src=\"/media/{Uri.EscapeDataString(name)}\"></video></body></html>", "text/html"));
            await Server.StartAsync();
            BaseUri = new Uri(Server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            Media.AllowedPrivateOrigins.Add(BaseUri.GetLeftPart(UriPartial.Authority));

            // The same playlist with its segments on "localhost": loopback, and not the allowed origin.
            var refused = (await File.ReadAllTextAsync(Path.Combine(Folder, "index.m3u8")))
                .Replace("seg", $"http://localhost:{BaseUri.Port}/media/seg", StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(Folder, "refused.m3u8"), refused);
        }

        private async Task RunAsync(params string[] args)
        {
            var result = await Runner.RunAsync(new FfmpegCommand("ffmpeg", args), CancellationToken.None);
            result.Succeeded.Should().BeTrue(result.StdErrTail);
        }

        public async Task DisposeAsync()
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }

            Runner.Dispose();
            Http.Dispose();
            Directory.Delete(Folder, recursive: true);
        }
    }

    private MediaInput LocalSource => new(fixture.Source, MediaInput.LocalProtocols, IsLocal: true);

    private async Task<(ClipCut Cut, string File)> CutAsync(MediaInput input, double start, double end)
    {
        var output = Path.Combine(fixture.Folder, $"clip-{Guid.NewGuid():N}.mp4");
        var reported = new List<double>();
        var cut = await fixture.Cutter.CutAsync(input, ClipMode.Exact, start, end - start, output, f => { lock (reported) { reported.Add(f); } }, CancellationToken.None);
        cut.Succeeded.Should().BeTrue(cut.Result.StdErrTail);
        reported.Should().NotBeEmpty().And.BeInAscendingOrder("progress only moves forward");
        reported.Last().Should().Be(1);
        return (cut, output);
    }

    /// <summary>
    /// Source frames i shown at i / fps + <paramref name="offset"/> in [ms-rounded start, end). The offset is where
    /// the video starts on ffmpeg's timeline of the source (0 for the MP4; for the HLS copy the MPEG-TS video starts a
    /// little after the container, whose start <c>-ss</c> counts from — the same for the plain re-encode).
    /// </summary>
    private static (int First, int Count) ExpectedFrames(double start, double end, double offset = 0)
    {
        var first = (int)Math.Ceiling((Math.Round(start, 3) - offset) * Fps - 1e-6);
        var last = (int)Math.Ceiling((end - offset) * Fps - 1e-6) - 1;
        return (first, last - first + 1);
    }

    [Theory]
    [InlineData(5.3, 10.7)] // mid-GOP start (first frame 128, keyframe at 144), B-frames at the end: tail re-encoded
    [InlineData(5.958, 9.0)] // one frame before the keyframe at 6 s (frame 143)
    [InlineData(4.0, 8.5)] // exactly on a keyframe: nothing re-encoded at the start
    public async Task ExactClip_IsSmartCut_AndMatchesTheSourceFrameForFrame(double start, double end)
    {
        var (cut, file) = await CutAsync(LocalSource, start, end);

        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        await AssertExactAsync(file, start, end);
    }

    /// <summary>
    /// Issue 17's speed: a local VOD's whole packet index is read once and kept (path + size + mtime), and every later
    /// cut plans from the part of it a windowed ffprobe would have read — the same plan, with no process started.
    /// </summary>
    [Fact]
    public async Task CachedKeyframeIndex_PlansEveryCutLikeTheWindowedProbe_UntilTheFileChanges()
    {
        var copy = Path.Combine(fixture.Folder, $"indexed-{Guid.NewGuid():N}.mp4");
        File.Copy(fixture.Source, copy);
        await using var input = new MediaInput(copy, MediaInput.LocalProtocols, IsLocal: true);
        var cached = new KeyframeProbe(fixture.Runner);
        var windowed = new KeyframeProbe(fixture.Runner);
        cached.TryCached(input, 1, 3).Should().BeNull("nothing is indexed yet");

        (await cached.IndexAsync(input, CancellationToken.None)).Should().BeTrue();

        foreach (var (start, end) in new[] { (0.0, 5.0), (5.3, 10.7), (5.958, 9.0), (4.0, 8.5), (1.02, 17.5), (13.99, 19.9) })
        {
            var fromCache = cached.TryCached(input, start, end);
            fromCache.Should().NotBeNull();
            var fromProbe = await windowed.ProbeAsync(input, start, end, CancellationToken.None);
            var expected = SmartCutPlanner.Plan(fromProbe!, start, end);
            var actual = SmartCutPlanner.Plan(fromCache!, start, end);
            actual.Reason.Should().Be(expected.Reason);
            expected.Plan.Should().NotBeNull();
            (actual.Plan! with { Encoder = expected.Plan!.Encoder }).Should().Be(expected.Plan, $"the cut {start}–{end} plans the same from the index");
            actual.Plan!.Encoder.Arguments.Should().Equal(expected.Plan.Encoder.Arguments);
            fromCache!.Audio.Should().Be(fromProbe!.Audio);
        }

        File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.AddMinutes(5));
        cached.TryCached(input, 5.3, 10.7).Should().BeNull("a file changed on disk is probed afresh");
    }

    /// <summary>The index kept next to a VOD is used only for the file it was read from: a replaced VOD's is stale and rebuilt.</summary>
    [Fact]
    public async Task StoredKeyframeIndex_IsLoadedByAFreshProbe_AndAStaleOneIsRebuilt()
    {
        var copy = Path.Combine(fixture.Folder, $"stored-{Guid.NewGuid():N}.mp4");
        File.Copy(fixture.Source, copy);
        await using var input = new MediaInput(copy, MediaInput.LocalProtocols, IsLocal: true);
        using var runner = new FfmpegRunner(Options.Create(new FfmpegOptions()), Options.Create(new ClipOptions()), NullLogger<FfmpegRunner>.Instance);
        (await new KeyframeProbe(runner).IndexAsync(input, CancellationToken.None)).Should().BeTrue();
        var stored = KeyframeProbe.IndexFileOf(copy);
        File.Exists(stored).Should().BeTrue();

        var before = runner.RunsStarted;
        var window = await new KeyframeProbe(runner).ProbeAsync(input, 5.3, 10.7, CancellationToken.None);
        runner.RunsStarted.Should().Be(before, "a fresh probe (a restart, another node) reads the stored index");
        await using var source = new MediaInput(fixture.Source, MediaInput.LocalProtocols, IsLocal: true);
        var expected = await new KeyframeProbe(fixture.Runner).ProbeAsync(source, 5.3, 10.7, CancellationToken.None);
        (SmartCutPlanner.Plan(window!, 5.3, 10.7).Plan! with { Encoder = null! }).Should().Be(SmartCutPlanner.Plan(expected!, 5.3, 10.7).Plan! with { Encoder = null! });

        // The VOD replaced on disk (another modification time): the stored index is stale, not used, and read again.
        File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.AddMinutes(5));
        var stale = new KeyframeProbe(runner);
        (await stale.LoadIndexAsync(copy, CancellationToken.None)).Should().BeFalse("the stored index is of the file before");
        before = runner.RunsStarted;
        (await stale.IndexAsync(input, CancellationToken.None)).Should().BeTrue();
        runner.RunsStarted.Should().Be(before + 1, "the stale index is rebuilt with one ffprobe");
        (await new KeyframeProbe(runner).LoadIndexAsync(copy, CancellationToken.None)).Should().BeTrue("the rebuilt index is stored for the file as it is now");
    }

    [Fact]
    public async Task ExactClip_PlannedFromACachedKeyframeIndex_MatchesTheSourceFrameForFrame()
    {
        var probe = new KeyframeProbe(fixture.Runner);
        (await probe.IndexAsync(LocalSource, CancellationToken.None)).Should().BeTrue();
        var cutter = new ClipCutter(fixture.Runner, probe, new HlsSegmentFetcher(fixture.Http, Options.Create(fixture.Media)), fixture.Settings, NullLogger<ClipCutter>.Instance);
        var output = Path.Combine(fixture.Folder, $"clip-{Guid.NewGuid():N}.mp4");

        var cut = await cutter.CutAsync(LocalSource, ClipMode.Exact, 5.3, 10.7 - 5.3, output, null, CancellationToken.None);

        cut.Succeeded.Should().BeTrue(cut.Result.StdErrTail);
        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        await AssertExactAsync(output, 5.3, 10.7);
    }

    /// <summary>A runner of the test's own (its process counts are the test's alone).</summary>
    private static FfmpegRunner NewRunner() =>
        new(Options.Create(new FfmpegOptions()), Options.Create(new ClipOptions()), NullLogger<FfmpegRunner>.Instance);

    /// <summary>A cutter on <paramref name="runner"/> whose keyframe index of the local source is built: its cuts take the two-process path.</summary>
    private async Task<ClipCutter> IndexedCutterAsync(FfmpegRunner runner)
    {
        var probe = new KeyframeProbe(runner);
        (await probe.IndexAsync(LocalSource, CancellationToken.None)).Should().BeTrue();
        return new ClipCutter(runner, probe, new HlsSegmentFetcher(fixture.Http, Options.Create(fixture.Media)), fixture.Settings, NullLogger<ClipCutter>.Instance);
    }

    /// <summary>
    /// Issue 17's ≤ 2× goal: with the VOD's keyframe index known, a smart cut with both a re-encoded head and tail is two
    /// processes — one ffmpeg encoding head and tail, one joining them with the body read straight from the source and
    /// the audio — with no body file (it was four: head, body and tail side by side, then the join).
    /// </summary>
    [Theory]
    [InlineData(5.3, 10.7)] // head and tail
    [InlineData(4.0, 8.5)] // no head: the source is the list's first file
    public async Task SmartCutOfAnIndexedMp4_RunsTwoProcesses_AndStaysExact(double start, double end)
    {
        using var runner = NewRunner();
        var cutter = await IndexedCutterAsync(runner);
        var output = Path.Combine(fixture.Folder, $"clip-{Guid.NewGuid():N}.mp4");
        var before = runner.RunsStarted;

        var cut = await cutter.CutAsync(LocalSource, ClipMode.Exact, start, end - start, output, null, CancellationToken.None);

        cut.Succeeded.Should().BeTrue(cut.Result.StdErrTail);
        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        (runner.RunsStarted - before).Should().Be(2);
        Directory.GetFiles(fixture.Folder).Where(f => f.StartsWith(output + ".", StringComparison.Ordinal)).Should().BeEmpty("the parts and the list are deleted");
        await AssertExactAsync(output, start, end);
    }

    /// <summary>
    /// The join of an indexed MP4 starts with the head/tail encode and waits for its concat list on a named pipe, so
    /// its start-up overlaps the encode: while the encode reports progress, both processes are running.
    /// </summary>
    [Fact]
    public async Task SmartCutOfAnIndexedMp4_StartsTheJoinAlongsideTheEncode_AndStaysExact()
    {
        using var runner = NewRunner();
        var cutter = await IndexedCutterAsync(runner);
        var output = Path.Combine(fixture.Folder, $"clip-{Guid.NewGuid():N}.mp4");
        var alongside = 0;

        var cut = await cutter.CutAsync(LocalSource, ClipMode.Exact, 5.3, 10.7 - 5.3, output, f =>
        {
            // The encode's share of the bar (the join's starts at 0.65): the join must already be running.
            if (f is > 0.05 and < 0.65)
            {
                Interlocked.Exchange(ref alongside, Math.Max(Volatile.Read(ref alongside), runner.RunningProcessIds.Count));
            }
        }, CancellationToken.None);

        cut.Succeeded.Should().BeTrue(cut.Result.StdErrTail);
        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        alongside.Should().Be(2, "the join waits on its named pipe while the head and tail are encoded");
        Directory.GetFiles(fixture.Folder).Where(f => f.StartsWith(output + ".", StringComparison.Ordinal)).Should().BeEmpty("the parts and the pipe are deleted");
        await AssertExactAsync(output, 5.3, 10.7);
    }

    /// <summary>A cut cancelled while its join waits on the named pipe: the waiting join is killed too, and nothing is left.</summary>
    [Fact]
    public async Task CancellingAnOverlappedSmartCut_KillsTheWaitingJoin_AndLeavesNoPipeBehind()
    {
        using var runner = NewRunner();
        var cutter = await IndexedCutterAsync(runner);
        var output = Path.Combine(fixture.Folder, $"clip-{Guid.NewGuid():N}.mp4");
        using var cancel = new CancellationTokenSource();
        var running = 0;

        var act = () => cutter.CutAsync(LocalSource, ClipMode.Exact, 5.3, 10.7 - 5.3, output, f =>
        {
            if (f > 0.05 && f < 0.65 && !cancel.IsCancellationRequested)
            {
                Volatile.Write(ref running, runner.RunningProcessIds.Count);
                cancel.Cancel();
            }
        }, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        running.Should().Be(2, "it was cancelled while the encode ran and the join waited");
        runner.RunningProcessIds.Should().BeEmpty();
        Directory.GetFiles(fixture.Folder, Path.GetFileName(output) + "*").Should().BeEmpty();
    }

    /// <summary>
    /// The source's audio is a steady 440 Hz sine, so the clip's must be one too, window by window (10 ms): a
    /// gap, a click, a cold decoder's fade-in at the start or an encoder's fade-out at the end would move a
    /// window's level. The mid-GOP cut has a re-encoded head and tail, so the audio spans both video joins.
    /// </summary>
    [Theory]
    [InlineData(5.3, 10.7)]
    [InlineData(5.958, 9.0)]
    public async Task SmartCutAudio_IsTheSourcesSine_Unbroken_FromStartAcrossTheJoinsToTheEnd(double start, double end)
    {
        var (cut, file) = await CutAsync(LocalSource, start, end);
        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);

        var levels = await WindowLevelsAsync(file);
        var sourceLevels = await WindowLevelsAsync(fixture.Source);
        var steady = sourceLevels.Order().ElementAt(sourceLevels.Length / 2);
        var (_, frames) = ExpectedFrames(start, end);
        levels.Length.Should().BeGreaterThanOrEqualTo((int)(frames * 100.0 / Fps), "the audio lasts as long as the clip's {0} frames", frames);
        var worst = levels.Select((level, index) => (Level: level, Index: index)).MaxBy(w => Math.Abs(w.Level - steady));
        Math.Abs(worst.Level - steady).Should().BeLessThan(1.5,
            "every 10 ms of the clip's audio is the source's sine at {0:0.00} dB; window {1} of {2} (at {3:0.00} s) reads {4:0.00} dB",
            steady, worst.Index, levels.Length, worst.Index / 100.0, worst.Level);
    }

    /// <summary>RMS level (dB) of each 10 ms window (480 samples at 48 kHz) of the first audio stream; the last window may be shorter.</summary>
    private static async Task<double[]> WindowLevelsAsync(string file)
    {
        var output = await MediaCheck.RunAsync("ffmpeg", "-v", "error", "-i", file, "-vn", "-af",
            "asetnsamples=n=480:p=0,astats=metadata=1:reset=1,ametadata=print:key=lavfi.astats.Overall.RMS_level:file=-", "-f", "null", "-");
        return RmsLine().Matches(output)
            .Select(m => m.Groups[1].Value == "-inf" ? -200 : double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToArray();
    }

    [GeneratedRegex(@"RMS_level=(-?[0-9.]+|-inf)")]
    private static partial Regex RmsLine();

    [Fact]
    public async Task CancellingASmartCut_StopsEveryPart_AndLeavesNoFileBehind()
    {
        var output = Path.Combine(fixture.Folder, $"clip-{Guid.NewGuid():N}.mp4");
        using var cancel = new CancellationTokenSource();

        // Cancelled at the first progress of a part: the parts run side by side then, and all of them must stop.
        var act = () => fixture.Cutter.CutAsync(LocalSource, ClipMode.Exact, 0.3, 19.5, output, f =>
        {
            if (f > 0.051)
            {
                cancel.Cancel();
            }
        }, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        fixture.Runner.RunningProcessIds.Should().BeEmpty();
        Directory.GetFiles(fixture.Folder, Path.GetFileName(output) + "*").Should().BeEmpty();
    }

    private MediaInput HlsSource(string playlist = "index.m3u8") =>
        new(new Uri(fixture.BaseUri, "/media/" + playlist).AbsoluteUri, MediaInput.RemoteProtocols, IsLocal: false);

    /// <summary>
    /// Where the video starts on ffmpeg's timeline of the HLS source (<c>-ss</c> counts from the container's start, the
    /// earliest packet of the first segment): frame i of the source shows at i / fps plus this.
    /// </summary>
    private Task<double> HlsVideoOffsetAsync() => VideoOffsetAsync(Path.Combine(fixture.Folder, "seg000.ts"));

    /// <summary>Where the video of an MPEG-TS <paramref name="file"/> starts after the container's start (which <c>-ss</c> counts from).</summary>
    private static async Task<double> VideoOffsetAsync(string file)
    {
        var output = await MediaCheck.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,start_time:format=start_time", "-of", "csv=p=0", file);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var video = lines.First(l => l.StartsWith("video,", StringComparison.Ordinal)).Split(',')[1];
        var container = lines.First(l => !l.Contains(',', StringComparison.Ordinal));
        return double.Parse(video, CultureInfo.InvariantCulture) - double.Parse(container, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Segments of 4 s (seg000 … seg004), keyframes every 2 s. A mid-GOP start in the second segment (5.3 s: head
    /// re-encoded, the end in the third segment with B-frames: tail re-encoded), one in the first segment, one frame
    /// before a keyframe and exactly on one.
    /// </summary>
    [Theory]
    [InlineData(5.3, 10.7, new[] { "seg001.ts", "seg002.ts" })]
    [InlineData(1.3, 5.1, new[] { "seg000.ts", "seg001.ts" })]
    [InlineData(5.958, 9.0, new[] { "seg001.ts", "seg002.ts" })] // one frame (143) before the keyframe at 6 s: a one-frame head
    [InlineData(4.0, 8.5, new[] { "seg000.ts", "seg001.ts", "seg002.ts" })] // exactly on the keyframe at 4 s (no head); the 0.5 s margin reaches back into seg000
    public async Task HlsSource_IsSmartCut_FromOnlyTheSegmentsHoldingTheRange_FrameForFrame(double start, double end, string[] segments)
    {
        fixture.Requests.Clear();

        var (cut, file) = await CutAsync(HlsSource(), start, end);

        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        await AssertExactAsync(file, start, end, await HlsVideoOffsetAsync());

        var whole = fixture.Requests.Where(r => r.Name.EndsWith(".ts", StringComparison.Ordinal) && r.Range.Length == 0).Select(r => r.Name).ToList();
        whole.Should().BeEquivalentTo(segments, "only the segments holding the range are fetched, each once");
        fixture.Requests.Where(r => r.Range.Length > 0).Select(r => r.Name).Should().Equal(segments[0] == "seg000.ts" ? [] : ["seg000.ts"],
            "the first segment's head is read for the source's start time only when that segment is not fetched anyway");
        Directory.GetFiles(fixture.Folder, Path.GetFileName(file) + ".*").Where(f => f != file).Should().BeEmpty("the fetched segments and parts are deleted");
    }

    [Fact]
    public async Task HlsSmartCutClip_PlaysThroughItsJoins_InChromium()
    {
        var (cut, file) = await CutAsync(HlsSource(), 5.3, 10.7);
        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);

        var result = await PlayInChromiumAsync(file);

        result.Error.Should().BeNull();
        result.Width.Should().Be(320);
        result.CurrentTime.Should().BeApproximately(result.Duration, 0.1, "it played to the end, across both joins");
        var (_, frames) = ExpectedFrames(5.3, 10.7, await HlsVideoOffsetAsync());
        result.Duration.Should().BeApproximately((double)frames / Fps, 0.05);
        result.Corrupted.Should().Be(0);
    }

    [Fact]
    public async Task HlsSegmentOnARefusedAddress_FailsTheClip_WithoutConnecting()
    {
        fixture.Requests.Clear();
        var output = Path.Combine(fixture.Folder, $"clip-{Guid.NewGuid():N}.mp4");

        var act = () => fixture.Cutter.CutAsync(HlsSource("refused.m3u8"), ClipMode.Exact, 5.3, 5.4, output, null, CancellationToken.None);

        (await act.Should().ThrowAsync<MediaException>()).Which.Message.Should().Be(MediaFailure.RefusedAddress);
        fixture.Requests.Select(r => r.Name).Should().Equal(["refused.m3u8"], "the playlist is read; its segment on a refused address is never connected to");
        Directory.GetFiles(fixture.Folder, Path.GetFileName(output) + "*").Should().BeEmpty();
    }

    /// <summary>
    /// An H.265 source (MP4, closed GOPs of 48, B-frames): the head and tail are re-encoded with libx265 in the source's
    /// profile and level, and the parts join through the four-process route (head, body, tail, audio files + concat list).
    /// </summary>
    [Theory]
    [InlineData(2.3, 6.7)] // mid-GOP start (frame 56, keyframe at 96), B-frames at the end: head and tail re-encoded
    [InlineData(3.958, 6.5)] // one frame (95) before the keyframe at 4 s
    [InlineData(2.0, 5.5)] // exactly on a keyframe: no head
    public async Task HevcSource_IsSmartCut_FrameForFrame(double start, double end)
    {
        await using var input = new MediaInput(fixture.HevcSource, MediaInput.LocalProtocols, IsLocal: true);

        var (cut, file) = await CutAsync(input, start, end);

        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        (await MediaCheck.RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file))
            .Trim().Should().Be("hevc", "the copied body stays H.265, and so do the re-encoded parts");
        await AssertExactAsync(file, start, end, reference: fixture.HevcSource);
        Directory.GetFiles(fixture.Folder, Path.GetFileName(file) + ".*").Where(f => f != file).Should().BeEmpty("the parts and the list are deleted");
    }

    /// <summary>
    /// The H.265 source remuxed into MPEG-TS: its range is copied into a local MP4 first (a TS seek does not land on
    /// keyframes), then cut through the four-process route with the audio re-encoded from the TS (the audio part).
    /// </summary>
    [Fact]
    public async Task HevcMpegTsSource_IsSmartCut_FrameForFrame()
    {
        var ts = Path.ChangeExtension(fixture.HevcSource, ".ts");
        await using var input = new MediaInput(ts, MediaInput.LocalProtocols, IsLocal: true);

        var (cut, file) = await CutAsync(input, 2.3, 6.7);

        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        await AssertExactAsync(file, 2.3, 6.7, await VideoOffsetAsync(ts), fixture.HevcSource);
        Directory.GetFiles(fixture.Folder, Path.GetFileName(file) + ".*").Where(f => f != file).Should().BeEmpty("the copies, parts and list are deleted");
    }

    /// <summary>
    /// A local MPEG-TS source: a TS seek lands on any packet, not a keyframe, so its range is copied into a local MP4 (as
    /// an HLS source's segments are) and cut from that, the audio re-encoded from the TS.
    /// </summary>
    [Theory]
    [InlineData(5.3, 10.7)] // head and tail
    [InlineData(5.958, 9.0)] // one-frame head
    [InlineData(4.0, 8.5)] // on a keyframe
    public async Task LocalMpegTsSource_IsSmartCut_FrameForFrame(double start, double end)
    {
        await using var input = new MediaInput(fixture.TsSource, MediaInput.LocalProtocols, IsLocal: true);

        var (cut, file) = await CutAsync(input, start, end);

        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        await AssertExactAsync(file, start, end, await VideoOffsetAsync(fixture.TsSource));
        Directory.GetFiles(fixture.Folder, Path.GetFileName(file) + ".*").Where(f => f != file).Should().BeEmpty("the parts and the list are deleted");
    }

    /// <summary>
    /// A remote (non-HLS) MP4 read as production reads it: through a <see cref="MediaProxy"/> session on loopback, whose
    /// fetches from the test server pass the address rules only because its origin is allowed. Not local, so the body is
    /// copied to a file of its own: the four-process route, the audio copied from the source.
    /// </summary>
    [Theory]
    [InlineData(5.3, 10.7)]
    [InlineData(4.0, 8.5)]
    public async Task RemoteMp4OverHttp_IsSmartCut_FrameForFrame(double start, double end)
    {
        await using var proxy = new MediaProxy(fixture.Http, Options.Create(fixture.Media), NullLogger<MediaProxy>.Instance);
        fixture.Requests.Clear();
        var (cut, file) = await CutViaProxyAsync(proxy, "source.mp4", start, end);

        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        fixture.Requests.Select(r => r.Name).Distinct().Should().Equal(["source.mp4"]);
        await AssertExactAsync(file, start, end);
        proxy.OpenSessions.Should().Be(0);
        Directory.GetFiles(fixture.Folder, Path.GetFileName(file) + ".*").Where(f => f != file).Should().BeEmpty("the parts and the list are deleted");
    }

    private async Task<(ClipCut Cut, string File)> CutViaProxyAsync(MediaProxy proxy, string name, double start, double end)
    {
        var session = await proxy.OpenAsync(new Uri(fixture.BaseUri, "/media/" + name), CancellationToken.None);
        await using var input = new MediaInput(session.EntryUrl, MediaInput.RemoteProtocols, IsLocal: false) { Session = session };
        return await CutAsync(input, start, end);
    }

    /// <summary>
    /// A/V sync from the content, not the container's timestamps: the source flashes white on every whole second's frame
    /// while its audio starts a 1 kHz beep at that instant. A mid-GOP smart cut (head re-encoded, a flash on the first
    /// copied keyframe at 2 s — the join —, the tail from 8 s re-encoded) keeps every beep onset on its flash frame within
    /// 20 ms: from the MP4 (two processes, audio copied), from the MPEG-TS copy (audio re-encoded) and from the MP4 read
    /// over HTTP (four processes).
    /// </summary>
    [Theory]
    [InlineData("sync.mp4", false)]
    [InlineData("sync.ts", false)]
    [InlineData("sync.mp4", true)] // remote through the proxy: four processes, the audio copied
    public async Task SmartCut_KeepsEachBeepOnItsFlashFrame_AcrossTheJoins(string name, bool remote)
    {
        ClipCut cut;
        string file;
        if (remote)
        {
            await using var proxy = new MediaProxy(fixture.Http, Options.Create(fixture.Media), NullLogger<MediaProxy>.Instance);
            (cut, file) = await CutViaProxyAsync(proxy, name, 1.3, 8.6);
        }
        else
        {
            await using var input = new MediaInput(Path.Combine(fixture.Folder, name), MediaInput.LocalProtocols, IsLocal: true);
            (cut, file) = await CutAsync(input, 1.3, 8.6);
        }

        cut.Strategy.Should().Be(ClipCutStrategy.Smart, cut.FallbackReason);
        var flashes = await FlashTimesAsync(file);
        var beeps = await BeepOnsetsAsync(file);
        flashes.Should().HaveCount(7, "the flashes of 2 s … 8 s are in the clip");
        beeps.Should().HaveCount(flashes.Count, "one beep per flash; beeps at {0}, flashes at {1}", string.Join(' ', beeps), string.Join(' ', flashes));
        for (var i = 0; i < flashes.Count; i++)
        {
            beeps[i].Should().BeApproximately(flashes[i], 0.02, "beep {0} starts with its flash frame (at {1:0.000} s of the clip)", i, flashes[i]);
        }
    }

    /// <summary>Presentation times (s, the clip's own timestamps) of its white flash frames.</summary>
    private static async Task<List<double>> FlashTimesAsync(string file)
    {
        var output = await MediaCheck.RunAsync("ffmpeg", "-v", "error", "-copyts", "-i", file, "-an", "-vf", "signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-", "-f", "null", "-");
        var times = new List<double>();
        double? pts = null;
        foreach (var line in output.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (PtsTime().Match(line) is { Success: true } frame)
            {
                pts = double.Parse(frame.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("lavfi.signalstats.YAVG=", StringComparison.Ordinal) && pts is { } at &&
                     double.Parse(line["lavfi.signalstats.YAVG=".Length..], CultureInfo.InvariantCulture) > 200)
            {
                times.Add(at);
            }
        }

        return times;
    }

    /// <summary>
    /// Times (s, on the clip's timeline: the audio's start plus samples) where a beep starts: the first sample above a third
    /// of the loudest after at least 100 ms below it — on the audio decoded to 48 kHz mono PCM (<c>-f s16le</c>).
    /// </summary>
    private async Task<List<double>> BeepOnsetsAsync(string file)
    {
        const int Rate = 48_000;
        var pcm = Path.Combine(fixture.Folder, $"pcm-{Guid.NewGuid():N}.raw");
        await MediaCheck.RunAsync("ffmpeg", "-v", "error", "-y", "-i", file, "-map", "0:a:0", "-ac", "1", "-ar", Rate.ToString(CultureInfo.InvariantCulture), "-f", "s16le", pcm);
        var bytes = await File.ReadAllBytesAsync(pcm);
        File.Delete(pcm);
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        var start = double.Parse(
            (await MediaCheck.RunAsync("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=start_time", "-of", "csv=p=0", file)).Trim(),
            CultureInfo.InvariantCulture);

        var threshold = samples.Max(v => Math.Abs((int)v)) / 3;
        var onsets = new List<double>();
        var lastLoud = -Rate;
        for (var i = 0; i < samples.Length; i++)
        {
            if (Math.Abs((int)samples[i]) > threshold)
            {
                if (i - lastLoud > Rate / 10)
                {
                    onsets.Add(start + ((double)i / Rate));
                }

                lastLoud = i;
            }
        }

        return onsets;
    }

    [GeneratedRegex(@"pts_time:(-?[0-9.]+)")]
    private static partial Regex PtsTime();

    [Fact]
    public async Task SourceItCannotMatch_FallsBackToAFullReencode_ThatIsStillExact()
    {
        await using var input = new MediaInput(Path.Combine(fixture.Folder, "mpeg4.mp4"), MediaInput.LocalProtocols, IsLocal: true);

        var (cut, file) = await CutAsync(input, 5.3, 7.1);

        cut.Strategy.Should().Be(ClipCutStrategy.Reencode);
        cut.FallbackReason.Should().Contain("mpeg4");
        var (frames, fps) = await MediaCheck.VideoFramesAsync(file);
        (frames / fps).Should().BeApproximately(7.1 - 5.3, 1.0 / Fps, "the plain re-encode keeps its own guarantee: within one frame");
    }

    [Fact]
    public async Task SmartCutClip_PlaysThroughItsJoins_InChromium()
    {
        var (_, file) = await CutAsync(LocalSource, 5.3, 10.7);

        var result = await PlayInChromiumAsync(file);

        result.Error.Should().BeNull();
        result.Width.Should().Be(320);
        result.CurrentTime.Should().BeApproximately(result.Duration, 0.1, "it played to the end, across both joins");
        result.Duration.Should().BeApproximately(10.7 - 128.0 / Fps, 0.05);
        result.Corrupted.Should().Be(0);
    }

    /// <summary>Plays a clip to its end at double speed in Debian's Chromium, from the test server.</summary>
    private async Task<PlayResult> PlayInChromiumAsync(string file)
    {
        var (playwright, browser) = await SystemChromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync(new Uri(fixture.BaseUri, "/play/" + Path.GetFileName(file)).AbsoluteUri);
            return await page.EvaluateAsync<PlayResult>("""
                async () => {
                  const v = document.getElementById('v');
                  v.playbackRate = 2;
                  const done = new Promise(resolve => {
                    v.addEventListener('ended', () => resolve(null));
                    v.addEventListener('error', () => resolve(v.error ? v.error.message || ('code ' + v.error.code) : 'error'));
                  });
                  await v.play();
                  const error = await Promise.race([done, new Promise(r => setTimeout(() => r('timeout'), 20000))]);
                  const q = v.getVideoPlaybackQuality();
                  return { error, width: v.videoWidth, duration: v.duration, currentTime: v.currentTime, frames: q.totalVideoFrames, corrupted: q.corruptedVideoFrames };
                }
                """);
        }
        finally
        {
            await Terminal.Tests.Browser.SystemChromium.CloseAsync(playwright, browser);
        }
    }

    public sealed class PlayResult
    {
        public string? Error { get; set; }

        public int Width { get; set; }

        public double Duration { get; set; }

        public double CurrentTime { get; set; }

        public int Frames { get; set; }

        public int Corrupted { get; set; }
    }

    /// <summary>
    /// The exact-clip guarantees against <paramref name="reference"/> (the source's frames, <see cref="Fixture.Source"/> unless
    /// given): first frame, frame count and duration, SSIM of every frame, audio span.
    /// </summary>
    private async Task AssertExactAsync(string file, double start, double end, double offset = 0, string? reference = null)
    {
        var (first, count) = ExpectedFrames(start, end, offset);

        // Duration: exactly the source frames of the selection, so within one frame of it.
        var (frames, fps) = await MediaCheck.VideoFramesAsync(file);
        fps.Should().BeApproximately(Fps, 0.01);
        frames.Should().Be(count);
        (frames / fps).Should().BeApproximately(end - start, 1.0 / Fps);

        // Every frame — the first, both sides of each join, the last — matches the source frame at its index.
        var aligned = await SsimAsync(file, first, count, reference);
        aligned.Should().HaveCount(count);
        aligned.Min().Should().BeGreaterThanOrEqualTo(0.95, "per-frame SSIM {0}", string.Join(' ', aligned.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture))));

        // And the first frame is that source frame, not a neighbour (SSIM against the frames either side is lower).
        var before = (await SsimAsync(file, first - 1, 1, reference)).Single();
        var after = (await SsimAsync(file, first + 1, 1, reference)).Single();
        aligned[0].Should().BeGreaterThan(Math.Max(before, after), "the clip opens on source frame {0}", first);

        // A/V: the audio covers the same span as the video (no gap, no offset) to within 20 ms.
        var streams = await MediaCheck.RunAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,start_time,duration", "-of", "csv=p=0", file);
        var spans = streams.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => (Start: double.Parse(p[1], CultureInfo.InvariantCulture), End: double.Parse(p[1], CultureInfo.InvariantCulture) + double.Parse(p[2], CultureInfo.InvariantCulture)));
        spans["audio"].Start.Should().BeApproximately(spans["video"].Start, 0.02);
        // The audio ends at the requested end; the video's last frame is the one showing there, so the video ends up to a
        // frame later (with the HLS copy's 21 ms video offset, 30 ms at 10.7 s). Both measured from the clip's first frame.
        var firstFrameTime = first / (double)Fps + offset;
        (spans["audio"].End - spans["video"].Start).Should().BeApproximately(end - firstFrameTime, 0.02);
        spans["audio"].End.Should().BeLessThanOrEqualTo(spans["video"].End + 0.02).And.BeGreaterThan(spans["video"].End - 1.0 / Fps - 0.02);
    }

    /// <summary>Per-frame SSIM of the clip's first <paramref name="count"/> frames against source frames from <paramref name="sourceFirst"/>.</summary>
    private async Task<double[]> SsimAsync(string clip, int sourceFirst, int count, string? reference = null)
    {
        var graph = string.Create(CultureInfo.InvariantCulture,
            $"[0:v]trim=end_frame={count},settb=1/{Fps},setpts=N[a];[1:v]trim=start_frame={sourceFirst}:end_frame={sourceFirst + count},settb=1/{Fps},setpts=N[b];[a][b]ssim=stats_file=-");
        var output = await MediaCheck.RunAsync("ffmpeg", "-v", "error", "-i", clip, "-i", reference ?? fixture.Source, "-lavfi", graph, "-f", "null", "-");
        return SsimLine().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
    }

    [GeneratedRegex(@"All:([0-9.]+)")]
    private static partial Regex SsimLine();
}

/// <summary>An options monitor over one instance (tests switch settings by changing it).</summary>
public sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
