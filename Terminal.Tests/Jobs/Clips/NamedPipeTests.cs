using Terminal.Jobs.Media;

namespace Terminal.Tests.Jobs.Clips;

/// <summary>The named pipe a smart cut's join reads its concat list from (Linux here).</summary>
public sealed class NamedPipeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("named-pipe-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AReaderThatOpensThePipe_GetsTheWholeText_ThenTheEnd()
    {
        var path = Path.Combine(_folder, "list");
        NamedPipe.TryCreate(path).Should().BeTrue();
        var reader = Task.Run(() => File.ReadAllText(path));

        (await NamedPipe.WriteAsync(path, "ffconcat version 1.0\nfile 'a.mp4'\n", reader, CancellationToken.None)).Should().BeTrue();

        (await reader.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("ffconcat version 1.0\nfile 'a.mp4'\n");
    }

    [Fact]
    public async Task AReaderThatEndsWithoutOpeningIt_DoesNotLeaveTheWriterWaiting()
    {
        var path = Path.Combine(_folder, "list");
        NamedPipe.TryCreate(path).Should().BeTrue();

        var wrote = await NamedPipe.WriteAsync(path, "never read", Task.CompletedTask, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        wrote.Should().BeFalse("the reader (an ffmpeg that failed at start) is gone");
    }

    [Fact]
    public async Task CancellingTheWrite_ReleasesTheWaitingWriter()
    {
        var path = Path.Combine(_folder, "list");
        NamedPipe.TryCreate(path).Should().BeTrue();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => NamedPipe.WriteAsync(path, "never read", new TaskCompletionSource().Task, cancel.Token).WaitAsync(TimeSpan.FromSeconds(10));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }
    [Fact]
    public async Task AReaderThatOpensThePipeLate_StillGetsTheWholeText()
    {
        var path = Path.Combine(_folder, "list");
        NamedPipe.TryCreate(path).Should().BeTrue();
        var reader = Task.Run(async () =>
        {
            await Task.Delay(150);
            return await File.ReadAllTextAsync(path);
        });

        (await NamedPipe.WriteAsync(path, "late", reader, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();

        (await reader.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("late");
    }

    /// <summary>
    /// A cancel that lands while the reader arrives: whichever wins, the write ends (written, refused or cancelled) and
    /// never waits for ever. A writer that released itself by opening the read end hung here when the reader got the
    /// text just before that open.
    /// </summary>
    [Fact]
    public async Task ACancelRacingTheReader_NeverLeavesTheWriteWaiting()
    {
        var random = new Random(17);
        for (var i = 0; i < 100; i++)
        {
            var path = Path.Combine(_folder, $"race-{i}");
            NamedPipe.TryCreate(path).Should().BeTrue();
            var readerDelay = random.Next(0, 4);
            var reader = Task.Run(async () =>
            {
                await Task.Delay(readerDelay);
                return await File.ReadAllTextAsync(path);
            });
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, 4)));

            var write = NamedPipe.WriteAsync(path, "text", reader, cancel.Token);
            var ended = await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(10)));

            ended.Should().BeSameAs(write, $"round {i}: the write must end");
            var wrote = write.IsCompletedSuccessfully && await write;
            if (!wrote)
            {
                // The write was cancelled before the reader came: give the waiting reader its end.
                (await NamedPipe.WriteAsync(path, "", reader, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
            }

            await reader.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
