using System.Runtime.InteropServices;

namespace Terminal.Jobs.Media;

/// <summary>
/// A named pipe (FIFO) in the file system, for handing a small text to an ffmpeg that is already running: the
/// process opens the path as a file at start and blocks there until the text is written, so its start-up (loading,
/// opening its other inputs) overlaps the work that decides the text. Linux and macOS only; elsewhere
/// <see cref="TryCreate"/> says no and the caller writes a plain file after the work instead.
/// </summary>
/// <remarks>
/// Nothing here ever blocks a thread. The writer opens the FIFO non-blocking: that fails with <c>ENXIO</c> while no
/// reader has it open (a reader waiting in its own <c>open</c> counts as having it open), so the writer polls,
/// raced with the reader ending and with cancellation. A blocking open would need a second open of the read end to
/// release it when the reader never comes, and that second open blocks for ever if the writer got through first.
/// </remarks>
public static partial class NamedPipe
{
    private const int Eintr = 4, Enxio = 6, Epipe = 32;

    /// <summary>The longest pause between two attempts to find the reader.</summary>
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>Makes a FIFO readable and writable by this user only; false when the platform or the file system has none.</summary>
    public static bool TryCreate(string path)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return false;
        }

        try
        {
            return MakeFifo(CPath(path), 0x180) == 0; // 0600
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> to the FIFO once its reader opened it, then closes it (the reader sees the end).
    /// False when <paramref name="readerEnded"/> completes before a reader is there, or the reader closed before it
    /// read everything: the reader is gone or failed.
    /// </summary>
    public static async Task<bool> WriteAsync(string path, string text, Task readerEnded, CancellationToken cancellationToken)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var cPath = CPath(path);
        var pause = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fd = Open(cPath, WriteOnlyNonBlocking);
            if (fd >= 0)
            {
                try
                {
                    return await WriteAllAsync(fd, bytes, readerEnded, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _ = Close(fd);
                }
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Eintr)
            {
                continue;
            }

            if (errno != Enxio)
            {
                throw new IOException($"Could not open the pipe {Path.GetFileName(path)} for writing (errno {errno}).");
            }

            if (readerEnded.IsCompleted)
            {
                return false; // no reader, and none will come
            }

            await PauseAsync(pause, readerEnded, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPoll.Ticks));
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/> on the non-blocking descriptor, waiting while the pipe is full.</summary>
    private static async Task<bool> WriteAllAsync(int fd, byte[] bytes, Task readerEnded, CancellationToken cancellationToken)
    {
        var written = 0;
        var pause = TimeSpan.FromMilliseconds(1);
        while (written < bytes.Length)
        {
            var chunk = written == 0 ? bytes : bytes[written..];
            var n = (long)Write(fd, chunk, (nuint)chunk.Length);
            if (n > 0)
            {
                written += (int)n;
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Eintr)
            {
                continue;
            }

            if (errno == Epipe || !IsAgain(errno) || readerEnded.IsCompleted)
            {
                return false; // the reader closed before it read everything: it failed
            }

            await PauseAsync(pause, readerEnded, cancellationToken).ConfigureAwait(false); // the pipe is full: the reader is behind
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPoll.Ticks));
        }

        return true;
    }

    private static async Task PauseAsync(TimeSpan pause, Task readerEnded, CancellationToken cancellationToken)
    {
        await Task.WhenAny(readerEnded, Task.Delay(pause, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static bool IsAgain(int errno) => errno == (OperatingSystem.IsMacOS() ? 35 : 11);

    /// <summary><c>O_WRONLY | O_NONBLOCK | O_CLOEXEC</c>: close-on-exec, so no ffmpeg started meanwhile inherits the write end and keeps the reader from its end.</summary>
    private static int WriteOnlyNonBlocking => OperatingSystem.IsMacOS() ? 0x1 | 0x4 | 0x1000000 : 0x1 | 0x800 | 0x80000;

    /// <summary>The path as C expects it: UTF-8, NUL-terminated.</summary>
    private static byte[] CPath(string path) => System.Text.Encoding.UTF8.GetBytes(path + "\0");

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MakeFifo(byte[] path, uint mode);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint Write(int fd, byte[] buffer, nuint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
