using Terminal.Core.Accounts;
using Terminal.Core.Billing;

namespace Terminal.Tests.Core.Billing;

public sealed class ApiKeyMaterialTests
{
    [Fact]
    public void Generate_Gives256BitUrlSafeKeys_WithTheirPrefixAndHash()
    {
        var key = ApiKeyMaterial.Generate();

        key.Key.Should().MatchRegex("^ct_[A-Za-z0-9_-]{43}$");
        key.Prefix.Should().Be(key.Key[..11]);
        key.Hash.Should().Be(ApiKeyMaterial.Hash(key.Key)).And.MatchRegex("^[0-9a-f]{64}$");
        ApiKeyMaterial.Generate().Key.Should().NotBe(key.Key);
    }

    [Fact]
    public void Hash_IsSha256OfTheKey()
    {
        // sha256("abc") — the FIPS 180-2 test vector.
        ApiKeyMaterial.Hash("abc").Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("ct_short", false)]
    [InlineData("xx_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("ct_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    public void LooksLikeKey_ChecksShapeOnly(string? candidate, bool expected) =>
        ApiKeyMaterial.LooksLikeKey(candidate).Should().Be(expected);
}

public sealed class PlansOptionsTests
{
    [Fact]
    public void Defaults_AreTheSpecLimits()
    {
        var plans = new PlansOptions();
        plans.For(Plan.Free).Should().BeEquivalentTo(new PlanLimits { ApiRequestsPerMinute = 60, MonthlyCredits = 0, PriceMonthly = 0, MaxApiKeys = 3, MaxAlertRules = 10, MaxWebhooks = 2 });
        plans.For(Plan.Pro).Should().BeEquivalentTo(new PlanLimits { ApiRequestsPerMinute = 600, MonthlyCredits = 500, PriceMonthly = 29, MaxApiKeys = 10, MaxAlertRules = 100, MaxWebhooks = 10 });
        plans.For(Plan.Enterprise).Should().BeEquivalentTo(new PlanLimits { ApiRequestsPerMinute = 6000, MonthlyCredits = 5000, PriceMonthly = 299, MaxApiKeys = 25, MaxAlertRules = 1000, MaxWebhooks = 50 });
    }

    [Fact]
    public void Validate_NamesTheBadSetting()
    {
        var plans = new PlansOptions();
        plans.Pro.ApiRequestsPerMinute = 0;
        plans.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(plans))
            .Should().ContainSingle().Which.ErrorMessage.Should().Contain("Terminal:Plans:Pro");
    }

    [Fact]
    public void StripePrices_MapPriceIdsBackToPlans()
    {
        var prices = new StripePrices { Pro = "price_p", Enterprise = "price_e" };
        prices.PlanOf("price_e").Should().Be(Plan.Enterprise);
        prices.PlanOf("price_p").Should().Be(Plan.Pro);
        prices.PlanOf("price_other").Should().BeNull();
        prices.PlanOf(null).Should().BeNull();
    }
}
