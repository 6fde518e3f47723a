using Microsoft.AspNetCore.Identity;
using Terminal.Core.Accounts;
using Terminal.Core.Billing;

namespace Terminal.Data.Accounts;

/// <summary>An account: Identity's user plus plan and billing references.</summary>
public sealed class TerminalUser : IdentityUser, IBillableAccount
{
    public Plan Plan { get; set; } = Plan.Free;

    public DateTime CreatedAt { get; set; }

    public string? StripeCustomerId { get; set; }

    public string? StripeSubscriptionId { get; set; }

    /// <summary>The watchlist shown on this user's ticker tape instead of the market's movers (SPEC §11); null = movers.</summary>
    public long? TickerWatchlistId { get; set; }
}
