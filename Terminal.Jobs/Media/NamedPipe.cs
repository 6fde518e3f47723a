using System.Runtime.InteropServices;

namespace Terminal.Jobs.Media;

/// <summary>
/// A named pipe (FIFO) in the file system, for handing a small text to an ffmpeg that is already running: the
/// process opens the path as a file at start and blocks there until the text is written, so its start-up (loading,
/// opening its other inputs) overlaps the work that decides the text. Linux and macOS only; elsewhere
/// <see cref="TryCreate"/> says no and the caller writes a plain file after the work instead.
/// </summary>
public static partial class NamedPipe
{
    /// <summary>Makes a FIFO readable and writable by this user only; false when the platform or the file system has none.</summary>
    public static bool TryCreate(string path)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return false;
        }

        try
        {
            return MakeFifo(System.Text.Encoding.UTF8.GetBytes(path + "\0"), 0x180) == 0; // 0600, the path as C expects it: UTF-8, NUL-terminated
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> to the FIFO once its reader opened it, then closes it (the reader sees the end).
    /// False when <paramref name="readerEnded"/> completes first: the reader is gone, and nobody would ever open the
    /// FIFO; the writer is then released by opening the read end here.
    /// </summary>
    public static async Task<bool> WriteAsync(string path, string text, Task readerEnded, CancellationToken cancellationToken)
    {
        // Opening a FIFO for writing blocks until a reader opens it: off the caller's thread, raced with the reader ending.
        var write = Task.Run(() =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
        }, CancellationToken.None);
        Task first;
        try
        {
            first = await Task.WhenAny(write, readerEnded).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ReleaseAsync(path, write).ConfigureAwait(false);
            throw;
        }

        if (first == write)
        {
            try
            {
                await write.ConfigureAwait(false);
                return true;
            }
            catch (IOException)
            {
                return false; // the reader closed before it read everything (EPIPE): it failed
            }
        }

        await ReleaseAsync(path, write).ConfigureAwait(false);
        return false;
    }

    /// <summary>Nobody reads any more: opens the read end so a pending open for writing returns, then lets both close.</summary>
    private static async Task ReleaseAsync(string path, Task write)
    {
        if (write.IsCompleted)
        {
            _ = write.Exception; // observed: a write that failed because the reader went is expected here
            return;
        }

        try
        {
            using var unblock = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            await write.ConfigureAwait(false);
        }
        catch (IOException)
        {
            // the writer saw the read end close first (EPIPE), or the FIFO is gone
        }
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MakeFifo(byte[] path, uint mode);
}
