namespace Terminal.Web.Features.Accounts;

/// <summary>The addressable tabs of ACCT, in display order.</summary>
public static class AcctTabs
{
    public static readonly IReadOnlyList<string> Keys = ["profile", "billing", "platforms", "keys", "reports"];

    /// <summary>Index of the tab an address asks for; the OAuth and Stripe return addresses pick theirs.</summary>
    public static int IndexOf(string? tab, string? linked = null, string? billing = null)
    {
        if (tab is not null)
        {
            var index = Keys.ToList().FindIndex(k => string.Equals(k, tab, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index;
            }
        }

        return !string.IsNullOrEmpty(linked) ? 2
            : !string.IsNullOrEmpty(billing) ? 1
            : 0;
    }
}
