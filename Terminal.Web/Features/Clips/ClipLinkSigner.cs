using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Terminal.Core;
using Terminal.Core.Clips;
using Terminal.Jobs.Clips;

namespace Terminal.Web.Features.Clips;

/// <summary>
/// Makes and checks signed download links (<see cref="SignedLinks"/>). The HMAC key is 32 random bytes
/// in <c>clip-links.key</c> in the data directory, so links survive a restart on the same data.
/// </summary>
public sealed class ClipLinkSigner
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly IOptions<ClipOptions> _options;

    public ClipLinkSigner(IOptions<TerminalOptions> terminal, IOptions<ClipOptions> options, TimeProvider time)
    {
        _time = time;
        _options = options;
        var path = Path.Combine(terminal.Value.DataDirectoryFullPath, "clip-links.key");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            var temp = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(temp, fresh);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temp); // another process made it first: use theirs
            }
        }

        _key = File.ReadAllBytes(path);
    }

    /// <summary>Path and query of a link to <paramref name="requestId"/>'s file, valid for the configured minutes.</summary>
    public (string PathAndQuery, DateTime ExpiresAt) Create(Guid requestId)
    {
        var expires = _time.GetUtcNow().AddMinutes(_options.Value.DownloadLinkMinutes);
        var unix = expires.ToUnixTimeSeconds();
        var signature = SignedLinks.Sign(_key, requestId, unix);
        return ($"/api/clips/file/{requestId:N}?expires={unix}&sig={signature}", DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime);
    }

    public bool Verify(Guid requestId, long expires, string? signature) =>
        SignedLinks.Verify(_key, requestId, expires, signature, _time.GetUtcNow());
}
