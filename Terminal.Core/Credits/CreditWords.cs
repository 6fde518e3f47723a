using System.Globalization;
using Terminal.Core.Accounts;

namespace Terminal.Core.Credits;

/// <summary>
/// The credit ledger in words (issue #16): each entry says what it was for and who caused it, written
/// when the entry is, so it still reads right after the VOD is gone or the plan changed again.
/// </summary>
public static class CreditWords
{
    /// <summary>Longest description stored (the column's size).</summary>
    public const int MaxLength = 300;

    /// <summary><c>Clip 'Title' 0:01.000–0:03.000 — 1 credit</c>.</summary>
    public static string ClipCharge(string? vodTitle, double startSeconds, double endSeconds, int credits) =>
        Fit($"Clip '{vodTitle ?? "deleted VOD"}' {Time(startSeconds)}–{Time(endSeconds)} — {Credits(credits)}");

    /// <summary><c>Refund: cancelled by you</c>, <c>Refund: cancelled by an administrator (a@b)</c>, <c>Refund: clip failed (reason)</c>.</summary>
    public static string Refund(bool cancelled, string? reason)
    {
        var why = (reason ?? "").Trim().TrimEnd('.');
        if (cancelled)
        {
            return Fit(why.StartsWith("Cancelled", StringComparison.Ordinal) ? "Refund: c" + why[1..] : "Refund: cancelled");
        }

        return Fit(why.Length == 0 ? "Refund: clip failed" : $"Refund: clip failed ({why})");
    }

    /// <summary><c>Plan change to Pro by admin@x +500</c> (the grant only when it was made).</summary>
    public static string PlanChange(Plan plan, string? actorEmail, int granted) =>
        Fit($"Plan change to {plan.DisplayName()} by {(string.IsNullOrWhiteSpace(actorEmail) ? "an administrator" : actorEmail)}"
            + (granted > 0 ? $" +{granted.ToString("N0", CultureInfo.InvariantCulture)}" : " (no new credits this month)"));

    /// <summary>The words of an entry: its own, or by its reason for entries written before descriptions.</summary>
    public static string Describe(CreditEntry entry) => entry.Description ?? entry.Reason switch
    {
        CreditReason.StartingGrant => "Starting credits",
        CreditReason.MonthlyGrant => "Monthly plan credits",
        CreditReason.ClipCharge => $"Clip — {Credits(-entry.Amount)}",
        CreditReason.ClipRefund => "Refund: clip failed or cancelled",
        CreditReason.AdminAdjustment => "Adjustment by an administrator",
        _ => entry.Reason.ToString(),
    };

    private static string Credits(int n) => n == 1 ? "1 credit" : $"{n.ToString("N0", CultureInfo.InvariantCulture)} credits";

    private static string Time(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalHours >= 1
            ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds:000}"
            : $"{t.Minutes}:{t.Seconds:00}.{t.Milliseconds:000}";
    }

    private static string Fit(string text) => text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…";
}
