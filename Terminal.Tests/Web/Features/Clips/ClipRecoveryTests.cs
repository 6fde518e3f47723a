using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
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

    [Fact]
    public async Task Restart_DeletesTheHlsAndPartTempFiles_OfAClipWhoseLeaseExpired()
    {
        using var first = new ClipsWebFactory();
        var user = await first.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(first.Services, 10);
        // Exhausted: recovery fails it and never cuts it again, so only recovery can have removed its files.
        var killed = await InsertProcessingAsync(first.Services, user.UserId, vod.Id, attempts: 3);
        var folder = Path.Combine(first.DataDirectory, "clips", "tmp");
        Directory.CreateDirectory(folder);
        var leftovers = new[] { ".mp4", ".mp4.hls.ts", ".mp4.hls.mp4", ".mp4.hls-start.ts", ".mp4.head.ts", ".mp4.body.ts", ".mp4.parts.ffconcat" }
            .Select(suffix => Path.Combine(folder, $"{killed:N}{suffix}")).ToArray();
        // Another clip's file in the same folder is not recovery's to delete.
        var unrelated = Path.Combine(folder, $"{Guid.NewGuid():N}.mp4.hls.ts");
        foreach (var file in leftovers.Append(unrelated))
        {
            await File.WriteAllBytesAsync(file, [1, 2, 3]);
        }

        using var second = new ClipsWebFactory();
        second.Settings["Terminal:DataDirectory"] = first.DataDirectory;
        _ = second.Services;

        (await GetRequestAsync(second.Services, killed)).Status.Should().Be(ClipStatus.Failed);
        leftovers.Where(File.Exists).Should().BeEmpty("every temp file of the taken-back clip goes, the HLS ones included");
        File.Exists(unrelated).Should().BeTrue();
    }

    [Fact]
    public async Task Restart_LeavesAClipAnotherNodeHoldsAlone_WithItsTempFile()
    {
        using var first = new ClipsWebFactory();
        var user = await first.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(first.Services, 10);
        var live = await InsertProcessingAsync(first.Services, user.UserId, vod.Id, attempts: 1, leaseUntil: DateTime.UtcNow.AddMinutes(10), worker: "other-node/42");
        var temp = Path.Combine(first.DataDirectory, "clips", "tmp", $"{live:N}.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        await File.WriteAllBytesAsync(temp, [1, 2, 3]);
        var hlsTemp = temp + ".hls.ts";
        await File.WriteAllBytesAsync(hlsTemp, [1, 2, 3]);

        // A second node on the same database starts (its recovery runs during start-up).
        using var second = new ClipsWebFactory();
        second.Settings["Terminal:DataDirectory"] = first.DataDirectory;
        _ = second.Services;

        var row = await GetRequestAsync(second.Services, live);
        row.Status.Should().Be(ClipStatus.Processing);
        row.Worker.Should().Be("other-node/42");
        row.Progress.Should().Be(40);
        File.Exists(temp).Should().BeTrue("the other node is still writing it");
        File.Exists(hlsTemp).Should().BeTrue("the other node is still fetching its segments");
    }

    [Fact]
    public async Task ALapsedLease_IsTakenBackAndFinished_ByTheRecoveryJob_WithoutARestart()
    {
        using var app = new ClipsWebFactory();
        var user = await app.CreateUserClientAsync();
        var vod = await SeedDemoVodAsync(app.Services, 10);
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = (await scheduler.GetTriggersOfJob(ClipLeaseRecoveryJob.Key, CancellationToken.None)).Should().ContainSingle().Which.Should().BeAssignableTo<ISimpleTrigger>().Subject;
        trigger.RepeatInterval.Should().BeLessThanOrEqualTo(TimeSpan.FromMinutes(1), "a dead node's clips wait about a minute, not for a restart");

        // Rows written after start-up: the start-up recovery has run and will not run again in this process.
        var lapsed = await InsertProcessingAsync(app.Services, user.UserId, vod.Id, attempts: 1, leaseUntil: DateTime.UtcNow.AddSeconds(-5), worker: "dead-node/3");
        var live = await InsertProcessingAsync(app.Services, user.UserId, vod.Id, attempts: 1, leaseUntil: DateTime.UtcNow.AddMinutes(10), worker: "other-node/42");
        var folder = Path.Combine(app.DataDirectory, "clips", "tmp");
        Directory.CreateDirectory(folder);
        var lapsedParts = Path.Combine(folder, $"{lapsed:N}.mp4.hls.ts");
        var liveTemp = Path.Combine(folder, $"{live:N}.mp4");
        await File.WriteAllBytesAsync(lapsedParts, [1, 2, 3]);
        await File.WriteAllBytesAsync(liveTemp, [1, 2, 3]);

        await scheduler.TriggerJob(ClipLeaseRecoveryJob.Key, CancellationToken.None);

        await Wait.UntilAsync(async () => (await GetRequestAsync(app.Services, lapsed)).Status == ClipStatus.Ready, TimeSpan.FromSeconds(90), "the lapsed clip is queued again and finished by this node");
        File.Exists(lapsedParts).Should().BeFalse("the taken-back clip's temp files are deleted");
        var held = await GetRequestAsync(app.Services, live);
        held.Should().Match<ClipRequest>(c => c.Status == ClipStatus.Processing && c.Worker == "other-node/42");
        File.Exists(liveTemp).Should().BeTrue("a clip with a live lease keeps its temp file");
    }

    private static async Task<Guid> InsertProcessingAsync(IServiceProvider services, string userId, Guid vodId, int attempts, DateTime? leaseUntil = null, string worker = "killed/1")
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        var request = new ClipRequest
        {
            Id = Guid.NewGuid(), UserId = userId, VodId = vodId, StartSeconds = 1, EndSeconds = 3, Mode = ClipMode.Exact,
            Status = ClipStatus.Processing, Progress = 40, Credits = 1, Charges = 1, Attempts = attempts, Worker = worker, LeaseExpiresAt = leaseUntil,
            CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
        };
        db.ClipRequests.Add(request);
        db.CreditLedger.Add(new CreditEntry { UserId = userId, Amount = -1, Reason = CreditReason.ClipCharge, Reference = ClipService.ChargeReference(request), At = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return request.Id;
    }
}

/// <summary>A graceful stop mid-cut stops ffmpeg and leaves the request pending; the next start finishes it.</summary>
public sealed class ClipShutdownTests
{
    [Fact]
    public async Task StoppingTheApp_MidCut_LeavesItPending_AndTheNextStartFinishesIt()
    {
        var shared = Path.Combine(Path.GetTempPath(), "clip-terminal-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(shared);
        try
        {
            Guid requestId;
            int[] pids;
            string userId;
            var first = new ClipsWebFactory();
            first.Settings["Terminal:DataDirectory"] = shared;
            // A smart cut of this VOD is one short join, too quick to stop mid-cut: stop a full re-encode.
            first.Settings["Terminal:Clips:SmartCut"] = "false";
            try
            {
                var user = await first.CreateUserClientAsync();
                userId = user.UserId;
                var vod = await SeedDemoVodAsync(first.Services, 120);
                var response = await user.Http.PostAsJsonAsync("/api/clips/request", new { vodId = vod.Id, startTime = 0, endTime = 120, mode = "exact" });
                requestId = (await response.Content.ReadFromJsonAsync<AcceptedDto>())!.RequestId;
                await Wait.UntilAsync(async () => (await GetRequestAsync(first.Services, requestId)) is { Status: ClipStatus.Processing, Progress: > 0 },
                    TimeSpan.FromSeconds(90), "the cut is under way");
                pids = first.Services.GetRequiredService<Terminal.Jobs.Media.FfmpegRunner>().RunningProcessIds.ToArray();
            }
            finally
            {
                await first.DisposeAsync();
            }

            pids.Should().NotBeEmpty();
            pids.Should().OnlyContain(pid => MediaCheck.Exited(pid), "no ffmpeg outlives the app");

            using var second = new ClipsWebFactory();
            second.Settings["Terminal:DataDirectory"] = shared;
            await Wait.UntilAsync(async () => (await GetRequestAsync(second.Services, requestId)).Status == ClipStatus.Ready, TimeSpan.FromSeconds(120), "the next start finishes the clip");
            (await second.Services.GetRequiredService<ICreditLedger>().GetBalanceAsync(userId)).Should().Be(18, "charged once (2 credits), never refunded or charged again");
        }
        finally
        {
            try
            {
                Directory.Delete(shared, recursive: true);
            }
            catch (IOException)
            {
                // Temp cleaner.
            }
        }
    }
}
