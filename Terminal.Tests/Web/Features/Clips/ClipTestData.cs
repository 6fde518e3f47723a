using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Clips;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>The app with demo media that moves every frame (so frames can be told apart) and settings for clip tests.</summary>
public class ClipsWebFactory : TerminalWebFactory
{
    public ClipsWebFactory()
    {
        Settings["Terminal:Media:DemoPattern"] = "testsrc2";
        Settings["Terminal:Clips:MaxConcurrentJobs"] = "2";
    }
}

/// <summary>Builders for creators, VODs and clip requests, straight into the test's database.</summary>
public static class ClipTestData
{
    public static async Task<Vod> SeedDemoVodAsync(IServiceProvider services, double durationSeconds, string title = "Demo VOD")
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<TerminalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var creatorId = await EnsureCreatorAsync(db);
        var vod = new Vod
        {
            Id = Guid.NewGuid(),
            CreatorId = creatorId,
            Title = title,
            SourceUrl = "demo://vod/x",
            Status = VodStatus.Ready,
            DurationSeconds = durationSeconds,
            IsDemo = true,
            PublishedAt = DateTime.UtcNow,
            CreatedAt = DateTime.UtcNow,
        };
        vod.SourceUrl = $"demo://vod/{vod.Id}";
        db.Vods.Add(vod);
        await db.SaveChangesAsync();
        return vod;
    }

    public static async Task<int> EnsureCreatorAsync(TerminalDbContext db)
    {
        var existing = await db.Creators.Select(c => (int?)c.Id).FirstOrDefaultAsync();
        if (existing is { } id)
        {
            return id;
        }

        db.Topics.Add(new Topic { Id = 9001, Slug = "test-topic", Name = "Test topic" });
        db.Creators.Add(new Creator { Id = 9001, Handle = "tester", DisplayName = "Tester", Platform = Platform.YouTube, TopicId = 9001, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return 9001;
    }

    public static async Task<ClipRequest> GetRequestAsync(IServiceProvider services, Guid id)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
        return await db.ClipRequests.AsNoTracking().FirstAsync(c => c.Id == id);
    }

    public static async Task<StatusDto> WaitForFinalAsync(HttpClient client, Guid requestId, TimeSpan timeout)
    {
        StatusDto? last = null;
        await Wait.UntilAsync(async () =>
        {
            last = await client.GetFromJsonAsync<StatusDto>($"/api/clips/status/{requestId}");
            return last!.Status is "ready" or "failed" or "cancelled";
        }, timeout, $"clip {requestId} finishes");
        return last!;
    }

    public sealed record AcceptedDto(Guid RequestId, string Status, DateTime EstimatedCompletion);

    public sealed record StatusDto(Guid RequestId, string Status, double Progress, string? Error);

    public sealed record DownloadDto(string Url, DateTime ExpiresAt);
}

/// <summary>ffprobe/ffmpeg helpers for checking produced media.</summary>
public static class MediaCheck
{
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed: {await stderr}");
        }

        return await stdout;
    }

    /// <summary>Duration of the first video stream, from its frame count and rate (exact for constant frame rate).</summary>
    public static async Task<(int Frames, double Fps)> VideoFramesAsync(string path)
    {
        var output = await RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames,r_frame_rate", "-of", "csv=p=0", path);
        var parts = output.Trim().Split(',');
        var rate = parts[0].Split('/');
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(rate[0], CultureInfo.InvariantCulture) / double.Parse(rate[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Decoded grey frames [first, first+count) of a file's video.</summary>
    public static async Task<byte[][]> GreyFramesAsync(string path, int first, int count, int width, int height)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-i", path, "-vf", $"select='between(n\\,{first}\\,{first + count - 1})'", "-vsync", "0", "-f", "rawvideo", "-pix_fmt", "gray", "-" })
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        await p.StandardOutput.BaseStream.CopyToAsync(ms);
        await p.WaitForExitAsync();
        _ = await stderr;
        var bytes = ms.ToArray();
        var size = width * height;
        return Enumerable.Range(0, bytes.Length / size).Select(i => bytes.AsSpan(i * size, size).ToArray()).ToArray();
    }

    /// <summary>True when the process is gone (or exited and not yet reaped).</summary>
    public static bool Exited(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    public static double MeanAbsoluteDifference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }
}
