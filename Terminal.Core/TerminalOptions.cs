using System.ComponentModel.DataAnnotations;

namespace Terminal.Core;

/// <summary>Top-level settings under <c>Terminal</c> (SPEC §6).</summary>
public sealed class TerminalOptions
{
    public const string Section = "Terminal";

    /// <summary>Where the SQLite file, Data Protection keys, clips and demo media live. Relative paths
    /// resolve against the process's working directory (the repository root for <c>dotnet run</c>).</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Base address for OAuth redirect URIs and download links; the request's own when empty.</summary>
    public string? PublicBaseUrl { get; set; }

    public string? Redis { get; set; }

    /// <summary>The absolute data directory.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}

/// <summary><c>Terminal:Credits</c>.</summary>
public sealed class CreditOptions
{
    public const string Section = "Terminal:Credits";

    /// <summary>Credits a new Free account starts with.</summary>
    [Range(0, 1_000_000)]
    public int Starting { get; set; } = 20;
}
