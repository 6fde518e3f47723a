using System.Runtime.InteropServices;

namespace Terminal.Data.DataProtection;

/// <summary>
/// Keeps the data directory owner-only on Unix (SPEC §8): the directory and its key folder 0700, files
/// 0600. The process umask becomes 077 so that everything created later — the SQLite file and its
/// WAL, key XML, clips, demo media — is born owner-only; files left by an older version are narrowed.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates (or narrows) <paramref name="directory"/> to 0700 and its direct files to 0600.</summary>
    public static void SecureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        RestrictUmask();
        Directory.CreateDirectory(directory, DirectoryMode);
        File.SetUnixFileMode(directory, DirectoryMode);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if ((File.GetUnixFileMode(file) & ~FileMode) != 0)
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }

    private static void RestrictUmask()
    {
        _ = Umask(0b000_111_111); // 077
    }

    // DllImport rather than LibraryImport: a blittable uint-to-uint call needs no marshalling code,
    // and LibraryImport would need unsafe blocks enabled for the whole project.
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
