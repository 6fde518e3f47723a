using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Clips;
using Terminal.Core.Credits;
using Terminal.Data;
using Terminal.Jobs.Clips;
using Terminal.Tests.Infrastructure;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>A process killed mid-job loses nothing: the next start resumes or fails-and-refunds what it left processing.</summary>
public sealed class ClipRecoveryTests
{
    [Fact]
    public async Task Restart_ResumesInterruptedJobs_AndFailsExhaustedOnesWithRefund()
    {
        using var first = new ClipsWebFactory();
        var user = await first.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(first.Services, 10);
        var resumable = await InsertProcessingAsync(first.Services, user.UserId, vod.Id, attempts: 1);
        var exhausted = await InsertProcessingAsync(first.Services, user.UserId, vod.Id, attempts: 3);
        // A clip file half-written by the "killed" process.
        var partial = Path.Combine(first.DataDirectory, "clips", "tmp", $"{resumable:N}.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        await File.WriteAllBytesAsync(partial, [1, 2, 3]);

        // A second process on the same data directory (the first one's start-up recovery has already run).
        using var second = new ClipsWebFactory();
        second.Settings["Terminal:DataDirectory"] = first.DataDirectory;
        _ = second.Services;

        await Wait.UntilAsync(async () => (await GetRequestAsync(second.Services, resumable)).Status == ClipStatus.Ready, TimeSpan.FromSeconds(90), "the interrupted clip is resumed and finished");
        var failed = await GetRequestAsync(second.Services, exhausted);
        failed.Status.Should().Be(ClipStatus.Failed);
        failed.Error.Should().Contain("refunded");
        var ledger = second.Services.GetRequiredService<ICreditLedger>();
        (await ledger.GetBalanceAsync(user.UserId)).Should().Be(20 - 1, "the exhausted one was refunded, the resumed one stays charged");
        File.Exists(partial).Should().BeFalse();
    }

    private static async Task<Guid> InsertProcessingAsync(IServiceProvider services, string userId, Guid vodId, int attempts)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        var request = new ClipRequest
        {
            Id = Guid.NewGuid(), UserId = userId, VodId = vodId, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Exact,
            Status = ClipStatus.Processing, Progress = 40, Credits = 1, Charges = 1, Attempts = attempts, Worker = "killed/1",
            CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
        };
        db.ClipRequests.Add(request);
        db.CreditLedger.Add(new CreditEntry { UserId = userId, Amount = -1, Reason = CreditReason.ClipCharge, Reference = ClipService.ChargeReference(request), At = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return request.Id;
    }
}
