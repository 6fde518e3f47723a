using Terminal.Core.LinkedAccounts;

namespace Terminal.Tests.Core.LinkedAccounts;

public sealed class EngagementAndPkceTests
{
    [Fact]
    public void PostRate_IsInteractionsOverViews_AndNullWithoutViews()
    {
        Engagement.PostRate(1000, 50, 20, 10, 20).Should().Be(0.1); // (50+20+10+20)/1000
        Engagement.PostRate(1000, 50, null, null, null).Should().Be(0.05);
        Engagement.PostRate(null, 50, 20, 10, 20).Should().BeNull();
        Engagement.PostRate(0, 50, 20, 10, 20).Should().BeNull();
    }

    [Fact]
    public void AccountRate_IsViewWeighted_AndSkipsPostsWithoutViews()
    {
        // post A: 100 interactions / 1000 views (10 %), post B: 30 / 3000 (1 %), post C: no views.
        // Weighted: 130 / 4000 = 3.25 %, not the plain mean 5.5 %.
        var rate = Engagement.AccountRate([(1000, 60, 40, null, null), (3000, 20, 5, 5, null), (null, 500, 0, 0, 0)]);

        rate.Should().Be(130.0 / 4000);
    }

    [Fact]
    public void Pkce_S256_MatchesRfc7636AppendixB()
    {
        Pkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").Should().Be("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        Pkce.NewVerifier().Should().MatchRegex("^[A-Za-z0-9_-]{43}$");
        Pkce.NewState().Should().NotBe(Pkce.NewState());
    }

    [Theory]
    [InlineData("7d", 7)]
    [InlineData("30D", 30)]
    [InlineData("90d", 90)]
    public void CrmPeriods_ParseTheThreePeriods(string value, int days)
    {
        CrmPeriods.TryParse(value, out var period).Should().BeTrue();
        period.Should().Be(TimeSpan.FromDays(days));
    }

    [Theory]
    [InlineData("1y")]
    [InlineData("0d")]
    [InlineData("abc")]
    public void CrmPeriods_RejectOthers(string value) => CrmPeriods.TryParse(value, out _).Should().BeFalse();
}
