using Terminal.Core.Accounts;
using Terminal.Core.Clips;
using Terminal.Core.Credits;

namespace Terminal.Tests.Core.Credits;

/// <summary>The credit ledger in words (issue #16, ACCT settings).</summary>
public sealed class CreditWordsTests
{
    [Fact]
    public void ClipCharge_NamesTheVodTheRangeAndTheCost() =>
        CreditWords.ClipCharge("Podcast ep. 12", 61.5, 125, 2).Should().Be("Clip 'Podcast ep. 12' 1:01.500–2:05.000 — 2 credits");

    [Fact]
    public void ClipCharge_OfADeletedVod_SaysSo() =>
        CreditWords.ClipCharge(null, 0, 3, 1).Should().Be("Clip 'deleted VOD' 0:00.000–0:03.000 — 1 credit");

    [Theory]
    [InlineData(true, ClipCancellation.ByOwner, "Refund: cancelled by you")]
    [InlineData(true, "Cancelled by an administrator (boss@x.io).", "Refund: cancelled by an administrator (boss@x.io)")]
    [InlineData(false, "The source stopped answering.", "Refund: clip failed (The source stopped answering)")]
    [InlineData(false, null, "Refund: clip failed")]
    public void Refund_SaysWhy(bool cancelled, string? reason, string expected) =>
        CreditWords.Refund(cancelled, reason).Should().Be(expected);

    [Fact]
    public void PlanChange_NamesThePlanWhoAndTheGrant()
    {
        CreditWords.PlanChange(Plan.Pro, "admin@x.io", 500).Should().Be("Plan change to Pro by admin@x.io +500");
        CreditWords.PlanChange(Plan.Enterprise, null, 5000).Should().Be("Plan change to Enterprise by an administrator +5,000");
        CreditWords.PlanChange(Plan.Free, "admin@x.io", 0).Should().Be("Plan change to Free by admin@x.io (no new credits this month)");
    }

    [Fact]
    public void Describe_PrefersTheStoredWords_AndFallsBackByReason()
    {
        CreditWords.Describe(new CreditEntry { UserId = "u", Amount = -1, Reason = CreditReason.ClipCharge, Description = "Clip 'a' 0:00.000–0:01.000 — 1 credit" })
            .Should().Be("Clip 'a' 0:00.000–0:01.000 — 1 credit");
        CreditWords.Describe(new CreditEntry { UserId = "u", Amount = -3, Reason = CreditReason.ClipCharge }).Should().Be("Clip — 3 credits");
        CreditWords.Describe(new CreditEntry { UserId = "u", Amount = 20, Reason = CreditReason.StartingGrant }).Should().Be("Starting credits");
    }

    [Fact]
    public void LongWords_AreCutToTheColumn() =>
        CreditWords.ClipCharge(new string('x', 400), 0, 1, 1).Length.Should().Be(CreditWords.MaxLength);
}
