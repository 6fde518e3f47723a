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
}
