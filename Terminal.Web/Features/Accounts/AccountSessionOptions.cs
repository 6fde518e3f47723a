using System.ComponentModel.DataAnnotations;

namespace Terminal.Web.Features.Accounts;

/// <summary><c>Terminal:Sessions</c>: how quickly a log-out or "sign out everywhere" reaches other sessions.</summary>
public sealed class AccountSessionOptions
{
    public const string Section = "Terminal:Sessions";

    /// <summary>How often a cookie session re-checks its account's security stamp (a log-out, "sign
    /// out everywhere" or a role change renews it). Zero checks on every request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ValidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}
