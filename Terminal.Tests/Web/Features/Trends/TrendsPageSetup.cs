using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Alerts;
using Terminal.Core.Insights;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using Terminal.Tests.Web.Features.Shell;
using Terminal.Web.Features.Watchlists;

namespace Terminal.Tests.Web.Features.Trends;

/// <summary>What a bUnit test of <c>TrendsPage</c> with watchlists needs (issue #14).</summary>
public static class TrendsPageSetup
{
    /// <summary>
    /// Registers TRND's services over <paramref name="reader"/>'s rankings (a demo market that does not
    /// tick, fixed opportunity gaps, <paramref name="factory"/>'s watchlist store behind the editor) and
    /// signs a new user of <paramref name="factory"/> in; returns that user.
    /// </summary>
    public static async Task<AuthenticatedClient> SignInToTrendsAsync(this BunitContext test, TerminalWebFactory factory, ITrendReader reader, TimeProvider time)
    {
        var user = await factory.CreateUserClientAsync();
        test.Services.AddSingleton<ITrendTicker>(new FakeTrendTicker());
        test.Services.AddSingleton<IMarketStatus>(new FakeMarketStatus { IsDemo = true });
        test.Services.AddSingleton(reader);
        test.Services.AddSingleton<IMarketQueries>(new FakeMarketQueries());
        test.Services.AddSingleton(time);
        test.Services.AddSingleton<IOpportunityGapSource>(new FixedGaps());
        test.Services.AddSingleton(new WatchlistEditor(factory.Services.GetRequiredService<IWatchlistStore>(), TimeProvider.System));
        test.AddAuthorization().SetAuthorized(user.Email).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        return user;
    }
}
