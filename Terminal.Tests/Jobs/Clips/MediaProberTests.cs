using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Terminal.Jobs.Clips;
using Terminal.Jobs.Media;
using Terminal.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Terminal.Tests.Jobs.Clips;

/// <summary>
/// The probe through FFMpegCore's <c>FFProbe</c> with real ffprobe: what it reads from a generated file, the
/// input's protocol and format whitelists reaching ffprobe, and the time limit — a source that never answers
/// (WireMock holding the response) fails <c>too slow</c> and its ffprobe is gone by the time the probe returns.
/// </summary>
public sealed class MediaProberTests(MediaProberTests.Fixture fixture) : IClassFixture<MediaProberTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "clip-terminal-probe-" + Guid.NewGuid().ToString("N"));

        public string Source => Path.Combine(Folder, "source.mp4");

        public WireMockServer Server { get; } = WireMockServer.Start();

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Folder);
            using var runner = NewRunner();
            var made = await runner.RunAsync(new FfmpegCommand("ffmpeg", new DemoMediaSpec(3).Arguments(Source, "PROBE")), CancellationToken.None);
            made.Succeeded.Should().BeTrue(made.StdErrTail);

            // Headers go out only after the delay: ffprobe connects, sends its GET and waits, as on a stalled origin.
            Server.Given(Request.Create().WithPath("/hang/*").UsingGet())
                .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "video/mp4").WithBody("never").WithDelay(TimeSpan.FromMinutes(2)));
        }

        public Task DisposeAsync()
        {
            Server.Stop();
            Server.Dispose();
            Directory.Delete(Folder, recursive: true);
            return Task.CompletedTask;
        }
    }

    private static FfmpegRunner NewRunner() =>
        new(Options.Create(new FfmpegOptions()), Options.Create(new ClipOptions()), NullLogger<FfmpegRunner>.Instance);

    private static MediaProber NewProber(FfmpegRunner runner, TimeSpan timeout) =>
        new(runner, Options.Create(new FfmpegOptions())) { Timeout = timeout };

    /// <summary>ffprobe processes whose command line holds <paramref name="needle"/>.</summary>
    private static int[] FfprobesReading(string needle)
    {
        var found = new List<int>();
        foreach (var process in Process.GetProcessesByName("ffprobe"))
        {
            using (process)
            {
                try
                {
                    if (File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(needle, StringComparison.Ordinal))
                    {
                        found.Add(process.Id);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Exited meanwhile.
                }
            }
        }

        return [.. found];
    }

    [Fact]
    public async Task Probe_OfALocalFile_ReadsDurationSizeCodecsAndRate()
    {
        using var runner = NewRunner();
        await using var input = new MediaInput(fixture.Source, MediaInput.LocalProtocols, IsLocal: true);

        var info = await NewProber(runner, TimeSpan.FromSeconds(30)).ProbeAsync(input, CancellationToken.None);

        info.DurationSeconds.Should().BeApproximately(3, 0.1);
        (info.Width, info.Height, info.VideoCodec, info.AudioCodec).Should().Be((DemoMediaSpec.DefaultWidth, DemoMediaSpec.DefaultHeight, "h264", "aac"));
        info.FrameRate.Should().BeApproximately(25, 0.001);
        runner.RunningLibraryCalls.Should().Be(0);
    }

    [Fact]
    public async Task Probe_OfASourceThatNeverAnswers_FailsTooSlow_AndItsFfprobeIsGoneWhenItReturns()
    {
        using var runner = NewRunner();
        var url = $"{fixture.Server.Url}/hang/{Guid.NewGuid():N}.mp4";
        var prober = NewProber(runner, TimeSpan.FromSeconds(4));
        await using var input = new MediaInput(url, MediaInput.RemoteProtocols, IsLocal: false);

        var probe = prober.ProbeAsync(input, CancellationToken.None);
        await Wait.UntilAsync(() => FfprobesReading(url).Length > 0, TimeSpan.FromSeconds(10), "ffprobe is reading the hanging source");
        var failure = await FluentActions.Awaiting(() => probe).Should().ThrowAsync<MediaException>();

        failure.Which.Message.Should().Be(MediaFailure.TooSlow);
        FfprobesReading(url).Should().BeEmpty("the probe returns only once its ffprobe has been killed");
        runner.RunningLibraryCalls.Should().Be(0);
    }

    [Fact]
    public async Task Probe_WhenTheRunnerIsDisposed_ItsFfprobeIsKilled()
    {
        using var runner = NewRunner();
        var url = $"{fixture.Server.Url}/hang/{Guid.NewGuid():N}.mp4";
        await using var input = new MediaInput(url, MediaInput.RemoteProtocols, IsLocal: false);
        var probe = NewProber(runner, TimeSpan.FromMinutes(5)).ProbeAsync(input, CancellationToken.None);
        await Wait.UntilAsync(() => FfprobesReading(url).Length > 0, TimeSpan.FromSeconds(10), "ffprobe is reading the hanging source");
        runner.RunningLibraryCalls.Should().Be(1);

        runner.Dispose(); // what the container does when the app stops

        await FluentActions.Awaiting(() => probe).Should().ThrowAsync<OperationCanceledException>();
        FfprobesReading(url).Should().BeEmpty();
    }

    [Fact]
    public async Task Probe_OfALocalFileGivenAsARemoteSource_IsRefusedByTheProtocolWhitelist()
    {
        using var runner = NewRunner();

        // The same file probes fine as a local input (the test above); read with the remote whitelist (http,tcp,crypto)
        // ffprobe must refuse its file protocol.
        await using var input = new MediaInput(new Uri(fixture.Source).AbsoluteUri, MediaInput.RemoteProtocols, IsLocal: false);
        var act = () => NewProber(runner, TimeSpan.FromSeconds(30)).ProbeAsync(input, CancellationToken.None);

        var failure = await act.Should().ThrowAsync<MediaException>();
        failure.Which.Message.Should().Be(MediaFailure.NotAVideo);
        failure.Which.Detail.Should().Contain("not on whitelist");
    }

    [Fact]
    public async Task Probe_OfAConcatList_IsRefusedByTheFormatWhitelist()
    {
        using var runner = NewRunner();
        var list = Path.Combine(fixture.Folder, $"{Guid.NewGuid():N}.ffconcat");
        await File.WriteAllTextAsync(list, "ffconcat version 1.0\nfile source.mp4\nfile source.mp4\n");

        await using var input = new MediaInput(list, MediaInput.LocalProtocols, IsLocal: true);

        var act = () => NewProber(runner, TimeSpan.FromSeconds(30)).ProbeAsync(input, CancellationToken.None);

        var failure = await act.Should().ThrowAsync<MediaException>();
        failure.Which.Message.Should().Be(MediaFailure.NotAVideo);
        failure.Which.Detail.Should().Contain("not on whitelist");
    }
}
