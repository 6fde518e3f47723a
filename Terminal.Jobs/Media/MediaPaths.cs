using Microsoft.Extensions.Options;
using Terminal.Core;

namespace Terminal.Jobs.Media;

/// <summary>Where media lives in the data directory (SPEC §6 "clip media: local folder in the data directory").</summary>
public sealed class MediaPaths(IOptions<TerminalOptions> options)
{
    public string DataDirectory { get; } = options.Value.DataDirectoryFullPath;

    /// <summary>Generated demo VODs.</summary>
    public string DemoFolder => Ensure(Path.Combine(DataDirectory, "media", "demo"));

    /// <summary>Thumbnail strips.</summary>
    public string ThumbnailFolder => Ensure(Path.Combine(DataDirectory, "media", "thumbs"));

    /// <summary>Player previews of remote sources.</summary>
    public string PreviewFolder => Ensure(Path.Combine(DataDirectory, "media", "preview"));

    /// <summary>Finished clips.</summary>
    public string ClipFolder => Ensure(Path.Combine(DataDirectory, "clips"));

    /// <summary>Clips being written (renamed into <see cref="ClipFolder"/> when complete, so a half-written clip is never served).</summary>
    public string ClipTempFolder => Ensure(Path.Combine(DataDirectory, "clips", "tmp"));

    /// <summary>The data-directory-relative form stored in the database.</summary>
    public string Relative(string fullPath) => Path.GetRelativePath(DataDirectory, fullPath);

    /// <summary>Resolves a stored relative path, refusing anything that escapes the data directory.</summary>
    public string? Resolve(string? relativePath)
    {
        if (string.IsNullOrEmpty(relativePath))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(DataDirectory, relativePath));
        return full.StartsWith(DataDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    private static string Ensure(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }
}
