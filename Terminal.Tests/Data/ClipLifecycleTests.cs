using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Clips;
using Terminal.Core.Credits;
using Terminal.Tests.Infrastructure;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Data;

/// <summary>The guarded transitions of <see cref="IClipRequests"/>, straight against the store (no jobs run these rows).</summary>
public sealed class ClipLifecycleTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private IClipRequests Store => factory.Services.GetRequiredService<IClipRequests>();

    private ICreditLedger Ledger => factory.Services.GetRequiredService<ICreditLedger>();

    [Fact]
    public async Task Complete_OfACancelledClip_IsRefused()
    {
        var (_, request) = await PendingAsync();
        (await Store.ClaimAsync(request.Id, "node-a/1", DateTime.UtcNow + Lease, default)).Should().NotBeNull();
        (await Store.CancelAndRefundAsync(request.Id, default)).Should().BeTrue();

        var completed = await Store.CompleteAsync(request.Id, "node-a/1", "x.mp4", 10, DateTime.UtcNow, DateTime.UtcNow.AddHours(1), default);

        completed.Should().BeFalse();
        var after = (await Store.FindAsync(request.Id, null, default))!;
        after.Status.Should().Be(ClipStatus.Cancelled);
        after.OutputFile.Should().BeNull();
    }

    [Fact]
    public async Task Complete_StoresTheStrategy_AndTheFallbackReason_CutToTheColumn()
    {
        var (_, smart) = await PendingAsync();
        var (_, fallback) = await PendingAsync();
        var (_, longer) = await PendingAsync();
        foreach (var request in new[] { smart, fallback, longer })
        {
            (await Store.ClaimAsync(request.Id, "node-a/1", DateTime.UtcNow + Lease, default)).Should().NotBeNull();
        }

        (await Store.CompleteAsync(smart.Id, "node-a/1", "s.mp4", 1, DateTime.UtcNow, DateTime.UtcNow.AddHours(1), default, ClipCutStrategy.Smart)).Should().BeTrue();
        (await Store.CompleteAsync(fallback.Id, "node-a/1", "f.mp4", 1, DateTime.UtcNow, DateTime.UtcNow.AddHours(1), default, ClipCutStrategy.Reencode, "GOPs are not closed (frames reference across keyframes)"))
            .Should().BeTrue();
        (await Store.CompleteAsync(longer.Id, "node-a/1", "l.mp4", 1, DateTime.UtcNow, DateTime.UtcNow.AddHours(1), default, ClipCutStrategy.Reencode, new string('x', 300)))
            .Should().BeTrue();

        var stored = (await Store.FindAsync(smart.Id, null, default))!;
        stored.Strategy.Should().Be(ClipCutStrategy.Smart);
        stored.FallbackReason.Should().BeNull();
        stored = (await Store.FindAsync(fallback.Id, null, default))!;
        stored.Strategy.Should().Be(ClipCutStrategy.Reencode);
        stored.FallbackReason.Should().Be("GOPs are not closed (frames reference across keyframes)");
        var cut = (await Store.FindAsync(longer.Id, null, default))!.FallbackReason!;
        cut.Should().HaveLength(ClipRequest.FallbackReasonMaxLength).And.EndWith("…").And.StartWith(new string('x', 255));
    }

    [Fact]
    public async Task Refund_IsWrittenExactlyOnce_WhateverFinishesAfterTheFirst()
    {
        var (userId, request) = await PendingAsync();
        (await Ledger.GetBalanceAsync(userId)).Should().Be(18);

        var results = await Task.WhenAll(
            Store.CancelAndRefundAsync(request.Id, default),
            Store.FailAndRefundAsync(request.Id, "boom", default),
            Store.CancelAndRefundAsync(request.Id, default));

        results.Count(r => r).Should().Be(1);
        (await Ledger.GetBalanceAsync(userId)).Should().Be(20);
        (await Ledger.GetEntriesAsync(userId, 50)).Where(e => e.Reason == CreditReason.ClipRefund).Should().ContainSingle()
            .Which.Reference.Should().Be(IClipRequests.ChargeReference(request));
    }

    [Fact]
    public async Task Claim_OnlyFromPending_AndCountsAnAttempt()
    {
        var (_, request) = await PendingAsync();

        var first = await Store.ClaimAsync(request.Id, "node-a/1", DateTime.UtcNow + Lease, default);
        var second = await Store.ClaimAsync(request.Id, "node-b/1", DateTime.UtcNow + Lease, default);

        first.Should().NotBeNull();
        first!.Status.Should().Be(ClipStatus.Processing);
        first.Worker.Should().Be("node-a/1");
        first.Attempts.Should().Be(1);
        first.LeaseExpiresAt.Should().NotBeNull();
        second.Should().BeNull("a processing clip cannot be claimed again");
    }

    [Fact]
    public async Task TakeBack_LeavesALiveLeaseAlone_AndTakesBackALapsedOne()
    {
        var (_, live) = await PendingAsync();
        var (_, lapsed) = await PendingAsync();
        var now = DateTime.UtcNow;
        await Store.ClaimAsync(live.Id, "node-b/7", now.AddMinutes(10), default);
        await Store.ClaimAsync(lapsed.Id, "node-c/9", now.AddSeconds(-5), default);

        var taken = await Store.TakeBackExpiredLeasesAsync(now, maxAttempts: 3, default);

        taken.Should().Contain(lapsed.Id).And.NotContain(live.Id);
        (await Store.FindAsync(live.Id, null, default))!.Should().Match<ClipRequest>(c => c.Status == ClipStatus.Processing && c.Worker == "node-b/7");
        (await Store.FindAsync(lapsed.Id, null, default))!.Should().Match<ClipRequest>(c => c.Status == ClipStatus.Pending && c.Worker == null);
    }

    [Fact]
    public async Task Complete_ByAWorkerWhoseLeaseWasTakenBack_IsRefused()
    {
        var (_, request) = await PendingAsync();
        await Store.ClaimAsync(request.Id, "node-a/1", DateTime.UtcNow.AddSeconds(-1), default);
        await Store.TakeBackExpiredLeasesAsync(DateTime.UtcNow, maxAttempts: 3, default);
        await Store.ClaimAsync(request.Id, "node-b/2", DateTime.UtcNow + Lease, default);

        (await Store.CompleteAsync(request.Id, "node-a/1", "a.mp4", 1, DateTime.UtcNow, DateTime.UtcNow.AddHours(1), default)).Should().BeFalse();
        (await Store.ReportProgressAsync(request.Id, "node-a/1", 50, DateTime.UtcNow + Lease, default)).Should().BeFalse();
        (await Store.CompleteAsync(request.Id, "node-b/2", "b.mp4", 1, DateTime.UtcNow, DateTime.UtcNow.AddHours(1), default)).Should().BeTrue();
        (await Store.FindAsync(request.Id, null, default))!.OutputFile.Should().Be("b.mp4");
    }

    [Fact]
    public async Task TakeBack_OfAnExhaustedClip_FailsAndRefundsIt()
    {
        var (userId, request) = await PendingAsync();
        await Store.ClaimAsync(request.Id, "node-a/1", DateTime.UtcNow.AddSeconds(-1), default);

        var taken = await Store.TakeBackExpiredLeasesAsync(DateTime.UtcNow, maxAttempts: 1, default);

        taken.Should().Contain(request.Id);
        (await Store.FindAsync(request.Id, null, default))!.Status.Should().Be(ClipStatus.Failed);
        (await Ledger.GetBalanceAsync(userId)).Should().Be(20);
    }

    [Fact]
    public async Task Retry_OnlyFromFailedOrCancelled_ChargesAgain()
    {
        var (userId, request) = await PendingAsync();
        (await Store.RetryAndChargeAsync(request.Id, default)).Should().BeFalse("a pending clip is not retried");

        await Store.FailAndRefundAsync(request.Id, "boom", default);
        (await Store.RetryAndChargeAsync(request.Id, default)).Should().BeTrue();

        var after = (await Store.FindAsync(request.Id, null, default))!;
        after.Should().Match<ClipRequest>(c => c.Status == ClipStatus.Pending && c.Charges == 2 && c.Attempts == 0 && c.Error == null);
        (await Ledger.GetBalanceAsync(userId)).Should().Be(18);
    }

    [Fact]
    public async Task Requeue_OnlyByTheWorkerHoldingIt()
    {
        var (_, request) = await PendingAsync();
        await Store.ClaimAsync(request.Id, "node-a/1", DateTime.UtcNow + Lease, default);

        (await Store.RequeueAsync(request.Id, "node-b/1", default)).Should().BeFalse();
        (await Store.RequeueAsync(request.Id, "node-a/1", default)).Should().BeTrue();
        (await Store.FindAsync(request.Id, null, default))!.Status.Should().Be(ClipStatus.Pending);
    }

    [Fact]
    public async Task Expire_ForgetsTheFilesOfReadyClipsPastTheirExpiry_Once()
    {
        var (_, request) = await PendingAsync();
        await Store.ClaimAsync(request.Id, "node-a/1", DateTime.UtcNow + Lease, default);
        await Store.CompleteAsync(request.Id, "node-a/1", $"{request.Id:N}.mp4", 5, DateTime.UtcNow, DateTime.UtcNow.AddSeconds(-1), default);

        (await Store.ExpireOutputsAsync(DateTime.UtcNow, default)).Should().Contain($"{request.Id:N}.mp4");
        (await Store.ExpireOutputsAsync(DateTime.UtcNow, default)).Should().NotContain($"{request.Id:N}.mp4");
        (await Store.FindAsync(request.Id, null, default))!.OutputFile.Should().BeNull();
    }

    /// <summary>A fresh user (20 credits) with a stored, charged 2-credit pending request.</summary>
    private async Task<(string UserId, ClipRequest Request)> PendingAsync()
    {
        var user = await factory.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(factory.Services, 600);
        var request = new ClipRequest
        {
            Id = Guid.NewGuid(), UserId = user.UserId, VodId = vod.Id, StartSeconds = 0, EndSeconds = 90, Mode = ClipMode.Fast,
            Status = ClipStatus.Pending, Credits = 2, Charges = 1, CreatedAt = DateTime.UtcNow,
        };
        await Store.CreateAndChargeAsync(request, default);
        return (user.UserId, request);
    }
}
