using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Data;
using Terminal.Data.LinkedAccounts;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Reports;
using UglyToad.PdfPig;

namespace Terminal.Tests.Web.Features.Reports;

/// <summary>SPEC §11 reports through the whole app: queue → job → PDF/CSV/JSON whose numbers equal
/// <c>/api/crm/performance</c>'s, owner-only access, delete, schedules, bad input.</summary>
public sealed class ReportsApiTests(TerminalWebFactory factory) : IClassFixture<TerminalWebFactory>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CrmReport_IsProduced_AndItsPdfCsvAndJsonCarryTheApisNumbers()
    {
        var user = await factory.CreateUserClientAsync();
        await SeedCrmAsync(user.UserId);

        var created = await user.Http.PostAsJsonAsync("/api/reports", new { kind = "crm", period = "30d" });
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var report = await created.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("status").GetString().Should().Be("queued");
        report.GetProperty("kind").GetString().Should().Be("crm");
        var id = report.GetProperty("id").GetString()!;

        await WaitReadyAsync(user, id);
        var api = await user.Http.GetFromJsonAsync<JsonElement>("/api/crm/performance?period=30d");
        var kpis = api.GetProperty("kpis");
        var deltas = api.GetProperty("deltas");
        kpis.GetProperty("views").GetInt64().Should().BeGreaterThan(0, "the seed has posts in the period");

        var pdf = await user.Http.GetAsync($"/api/reports/{id}/download");
        pdf.StatusCode.Should().Be(HttpStatusCode.OK);
        pdf.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        if (Environment.GetEnvironmentVariable("REPORT_SAMPLE_PDF") is { Length: > 0 } sample)
        {
            await File.WriteAllBytesAsync(sample, bytes);
        }

        using var document = PdfDocument.Open(bytes);
        document.NumberOfPages.Should().BeGreaterThanOrEqualTo(4, "cover, charts, tables with insights, definitions");
        var text = string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        text.Should().Contain("Creator performance report").And.Contain(user.Email).And.Contain("Definitions").And.Contain("Insights");
        foreach (var key in new[] { "followers", "views", "likes", "comments", "shares" })
        {
            text.Should().Contain(Count(kpis.GetProperty(key).GetInt64()), $"the PDF shows the API's {key}");
            text.Should().Contain(Delta(deltas.GetProperty(key).GetInt64()), $"the PDF shows the API's {key} delta");
        }

        text.Should().Contain(kpis.GetProperty("engagementRate").GetDouble().ToString("0.00%", CultureInfo.InvariantCulture));
        var topPost = api.GetProperty("posts").EnumerateArray().OrderByDescending(p => p.GetProperty("views").GetInt64()).First();
        text.Should().Contain(topPost.GetProperty("title").GetString()!.Split(' ')[0], "the top post is in the table");

        // Every number of the top-posts table: the API's ten most viewed posts, each row's cells in order.
        var topPosts = api.GetProperty("posts").EnumerateArray()
            .OrderByDescending(p => Long(p, "views") ?? -1).ThenByDescending(p => p.GetProperty("publishedAt").GetDateTime()).Take(10).ToList();
        topPosts.Should().HaveCount(10, "the seed has more than ten posts in the period");
        foreach (var post in topPosts)
        {
            var rate = post.GetProperty("engagementRate") is { ValueKind: JsonValueKind.Number } r ? r.GetDouble().ToString("0.00%", CultureInfo.InvariantCulture) : "—";
            var row = string.Join(' ', post.GetProperty("platform").GetString(), post.GetProperty("publishedAt").GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                CountOrDash(Long(post, "views")), CountOrDash(Long(post, "likes")), CountOrDash(Long(post, "comments")), CountOrDash(Long(post, "shares")), rate);
            text.Should().Contain(row, $"the table row of '{post.GetProperty("title").GetString()}' carries the API's numbers");
        }

        // Every effect and interval of the insights: the same findings /api/insights returns for the caller (30d → the 30d insight period).
        var expected = new List<string>();
        var findings = new List<string>();
        var outliers = await user.Http.GetFromJsonAsync<JsonElement>("/api/insights/outliers?scope=mine&period=30d");
        foreach (var outlier in outliers.EnumerateArray().Take(5))
        {
            findings.Add($"{Count((long)outlier.GetProperty("views").GetDouble())} views vs a baseline of {Count((long)outlier.GetProperty("baseline").GetDouble())}");
            expected.Add(Interval(outlier.GetProperty("ratio").GetDouble(), outlier.GetProperty("low").GetDouble(), outlier.GetProperty("high").GetDouble()));
        }

        var patterns = await (await user.Http.PostAsJsonAsync("/api/insights/patterns", new { scope = "mine", period = "30d" })).Content.ReadFromJsonAsync<JsonElement>();
        var judged = patterns.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("effect").ValueKind == JsonValueKind.Number)
            .OrderByDescending(f => f.GetProperty("significant").GetBoolean()).ThenByDescending(f => Math.Abs(Math.Log(f.GetProperty("effect").GetDouble()))).Take(6).ToList();
        foreach (var finding in judged)
        {
            findings.Add($"{finding.GetProperty("feature").GetString()} = {finding.GetProperty("group").GetString()} ({finding.GetProperty("n").GetInt32()} posts)");
            expected.Add(IntervalOrNote(finding));
        }

        if (judged.Count == 0)
        {
            findings.Add($"Patterns over {patterns.GetProperty("n").GetInt32()} posts: not enough data");
        }

        var best = await user.Http.GetFromJsonAsync<JsonElement>("/api/insights/best-times");
        var hours = best.GetProperty("hours").EnumerateArray().Where(h => h.GetProperty("effect").ValueKind == JsonValueKind.Number)
            .OrderByDescending(h => h.GetProperty("effect").GetDouble()).Take(5).ToList();
        foreach (var hour in hours)
        {
            findings.Add($"({hour.GetProperty("n").GetInt32()} posts)");
            expected.Add(IntervalOrNote(hour));
        }

        if (hours.Count == 0 && best.GetProperty("note").GetString() is { } note)
        {
            findings.Add($"Best times to post: {note} ({best.GetProperty("posts").GetInt32()} posts).");
        }

        expected.Concat(findings).Should().NotBeEmpty("60 days of posts give the insights something to judge");
        var insightsText = text[text.LastIndexOf("Insights", StringComparison.Ordinal)..];
        foreach (var cells in expected)
        {
            insightsText.Should().Contain(cells, "every effect and interval of the insights is /api/insights'");
        }

        // A long finding wraps; its second line reads after the row's effect cells, so those are set aside here.
        var findingText = Regex.Replace(insightsText, @" (\d[\d,]*\.\d\d×|–)(?= |$)", "");
        foreach (var finding in findings)
        {
            findingText.Should().Contain(finding, "the finding's numbers are /api/insights'");
        }

        var json = await user.Http.GetFromJsonAsync<JsonElement>($"/api/reports/{id}/download?format=json");
        var jsonKpis = json.GetProperty("kpis").EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!, k => k);
        foreach (var key in new[] { "followers", "views", "likes", "comments", "shares" })
        {
            jsonKpis[key].GetProperty("value").GetDouble().Should().Be(kpis.GetProperty(key).GetInt64());
            jsonKpis[key].GetProperty("delta").GetDouble().Should().Be(deltas.GetProperty(key).GetInt64());
        }

        var csvResponse = await user.Http.GetAsync($"/api/reports/{id}/download?format=csv");
        csvResponse.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var csv = await csvResponse.Content.ReadAsStringAsync();
        var lines = csv.Split(["\r\n", "\n"], StringSplitOptions.None);
        lines[0].Should().Be("section,item,field,value");
        lines.Should().Contain($"kpi,views,value,{kpis.GetProperty("views").GetInt64()}").And.Contain($"kpi,likes,delta,{deltas.GetProperty("likes").GetInt64()}");
    }

    [Fact]
    public async Task MarketReport_IsProduced_WithItsOwnTitleTablesAndDefinitions()
    {
        var user = await factory.CreateUserClientAsync();
        var created = await user.Http.PostAsJsonAsync("/api/reports", new { kind = "market", period = "7d" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await WaitReadyAsync(user, id);

        using var document = PdfDocument.Open(await user.Http.GetByteArrayAsync($"/api/reports/{id}/download"));
        var text = string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        text.Should().Contain("Market report").And.Contain("Top creators by heat").And.Contain("Top clips by heat").And.Contain("Definitions");
        var json = await user.Http.GetFromJsonAsync<JsonElement>($"/api/reports/{id}/download?format=json");
        json.GetProperty("kind").GetString().Should().Be("market");
        json.GetProperty("period").GetString().Should().Be("7d");
    }

    [Fact]
    public async Task Progress_IsPushedToTheOwnerOnly_UpToReady()
    {
        var owner = await factory.CreateUserClientAsync();
        var other = await factory.CreateUserClientAsync();
        var feed = factory.Services.GetRequiredService<ReportProgressFeed>();
        var mine = new System.Collections.Concurrent.ConcurrentQueue<ReportProgress>();
        var theirs = new System.Collections.Concurrent.ConcurrentQueue<ReportProgress>();
        using var a = feed.Subscribe(owner.UserId, p => { mine.Enqueue(p); return Task.CompletedTask; });
        using var b = feed.Subscribe(other.UserId, p => { theirs.Enqueue(p); return Task.CompletedTask; });

        var created = await owner.Http.PostAsJsonAsync("/api/reports", new { kind = "crm", period = "7d" });
        var id = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);

        await Wait.UntilAsync(() => mine.Any(p => p.Id == id && p.Status == Terminal.Core.Reports.ReportStatus.Ready), Deadline, "the owner hears the report is ready");
        mine.Where(p => p.Id == id && p.Status == Terminal.Core.Reports.ReportStatus.Processing).Select(p => p.Progress)
            .Should().NotBeEmpty().And.BeInAscendingOrder();
        mine.Single(p => p.Status == Terminal.Core.Reports.ReportStatus.Ready).Progress.Should().Be(100);
        theirs.Should().BeEmpty("progress goes to the owner only");
    }

    [Fact]
    public async Task Reports_AreTheOwnersOnly_OthersGet404()
    {
        var owner = await factory.CreateUserClientAsync();
        var other = await factory.CreateUserClientAsync();
        var created = await owner.Http.PostAsJsonAsync("/api/reports", new { kind = "crm", period = "7d" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await WaitReadyAsync(owner, id!);

        await (await other.Http.GetAsync($"/api/reports/{id}/download")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "report_not_found");
        await (await other.Http.DeleteAsync($"/api/reports/{id}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "report_not_found");
        (await other.Http.GetFromJsonAsync<JsonElement>("/api/reports")).GetArrayLength().Should().Be(0);
        await (await owner.Http.GetAsync($"/api/reports/{Guid.NewGuid()}/download")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "report_not_found");
        (await owner.Http.GetAsync($"/api/reports/{id}/download")).StatusCode.Should().Be(HttpStatusCode.OK, "the owner still has it");
    }

    [Fact]
    public async Task Delete_RemovesTheRowAndItsFiles()
    {
        var user = await factory.CreateUserClientAsync();
        var created = await user.Http.PostAsJsonAsync("/api/reports", new { kind = "crm", period = "7d" });
        var id = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        await WaitReadyAsync(user, id.ToString());
        var pdfPath = Path.Combine(factory.DataDirectory, ReportFiles.PdfPath(id));
        File.Exists(pdfPath).Should().BeTrue();
        File.Exists(ReportFiles.JsonPathOf(pdfPath)).Should().BeTrue();

        (await user.Http.DeleteAsync($"/api/reports/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        File.Exists(pdfPath).Should().BeFalse();
        File.Exists(ReportFiles.JsonPathOf(pdfPath)).Should().BeFalse();
        (await user.Http.GetFromJsonAsync<JsonElement>("/api/reports")).GetArrayLength().Should().Be(0);
        await (await user.Http.GetAsync($"/api/reports/{id}/download")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Schedule_AddsACronTriggerPerSchedule_AndDeleteRemovesIt()
    {
        var user = await factory.CreateUserClientAsync();
        var created = await user.Http.PostAsJsonAsync("/api/reports/schedules", new { kind = "crm", cadence = "monthly" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        var trigger = await scheduler.GetTrigger(ReportScheduler.TriggerOf(id)) as ICronTrigger;
        trigger.Should().NotBeNull();
        trigger!.CronExpressionString.Should().Be("0 0 6 1 * ?");
        (await user.Http.GetFromJsonAsync<JsonElement>("/api/reports/schedules")).EnumerateArray()
            .Should().ContainSingle(s => s.GetProperty("cadence").GetString() == "monthly" && s.GetProperty("kind").GetString() == "crm");

        (await user.Http.DeleteAsync($"/api/reports/schedules/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await scheduler.GetTrigger(ReportScheduler.TriggerOf(id))).Should().BeNull();
        await (await user.Http.DeleteAsync($"/api/reports/schedules/{id}")).ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "schedule_not_found");
    }

    [Fact]
    public async Task ScheduledJob_QueuesAndProducesAReportOfTheSchedule()
    {
        var user = await factory.CreateUserClientAsync();
        var created = await user.Http.PostAsJsonAsync("/api/reports/schedules", new { kind = "crm", cadence = "weekly" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        await scheduler.TriggerJob(ScheduledReportJob.Key, new JobDataMap { [ScheduledReportJob.ScheduleIdKey] = id });

        await Wait.UntilAsync(async () => (await user.Http.GetFromJsonAsync<JsonElement>("/api/reports")).EnumerateArray()
            .Any(r => r.GetProperty("scheduleId").GetString() == id && r.GetProperty("period").GetString() == "7d" && r.GetProperty("status").GetString() == "ready"),
            Deadline, "the scheduled weekly report is ready");
    }

    [Theory]
    [InlineData("""{"kind":"pdf","period":"30d"}""", "invalid_kind")]
    [InlineData("""{"period":"30d"}""", "invalid_kind")]
    [InlineData("""{"kind":"crm","period":"1y"}""", "invalid_period")]
    [InlineData("""{"kind":"market","period":"90d"}""", "invalid_period")]
    [InlineData("""{"kind":"creator","period":"7d"}""", "invalid_entity_id")]
    [InlineData("""{"kind":"crm","period":"7d","entityId":"5"}""", "invalid_entity_id")]
    [InlineData("""{"kind":"crm",""", "invalid_json")]
    public async Task Create_WithBadInput_Returns400(string json, string code)
    {
        var user = await factory.CreateUserClientAsync();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await user.Http.PostAsync("/api/reports", content);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, code);
        (await user.Http.GetFromJsonAsync<JsonElement>("/api/reports")).GetArrayLength().Should().Be(0, "nothing is queued on bad input");
    }

    [Fact]
    public async Task Create_ForAnUnknownCreator_Returns404_AndBadFormatOrCadence400()
    {
        var user = await factory.CreateUserClientAsync();
        await (await user.Http.PostAsJsonAsync("/api/reports", new { kind = "creator", period = "7d", entityId = "no-such-creator" }))
            .ShouldBeApiErrorAsync(HttpStatusCode.NotFound, "creator_not_found");
        await (await user.Http.PostAsJsonAsync("/api/reports/schedules", new { kind = "crm", cadence = "daily" }))
            .ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_cadence");
        await (await user.Http.GetAsync($"/api/reports/{Guid.NewGuid()}/download?format=docx"))
            .ShouldBeApiErrorAsync(HttpStatusCode.BadRequest, "invalid_format");
    }

    [Theory]
    [InlineData("GET", "/api/reports")]
    [InlineData("POST", "/api/reports")]
    [InlineData("GET", "/api/reports/00000000-0000-0000-0000-000000000001/download")]
    [InlineData("DELETE", "/api/reports/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/reports/schedules")]
    [InlineData("POST", "/api/reports/schedules")]
    public async Task Endpoints_WithoutAccount_Return401(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? JsonContent.Create(new { kind = "crm", period = "7d", cadence = "weekly" }) : null,
        };
        var response = await factory.CreateApiClient().SendAsync(request);
        await response.ShouldBeApiErrorAsync(HttpStatusCode.Unauthorized);
    }

    private static string Count(long v) => v.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Delta(long v) => (v >= 0 ? "+" : "−") + Count(Math.Abs(v));

    private static long? Long(JsonElement e, string name) => e.GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : null;

    private static string CountOrDash(long? v) => v is { } x ? Count(x) : "—";

    private static string Ratio(double v) => v.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static string Interval(double effect, double low, double high) => $"{Ratio(effect)} {Ratio(low)} – {Ratio(high)}";

    /// <summary>A finding's effect and interval cells as the report prints them (its note when it has no interval).</summary>
    private static string IntervalOrNote(JsonElement f) =>
        f.GetProperty("low").ValueKind == JsonValueKind.Number && f.GetProperty("high").ValueKind == JsonValueKind.Number
            ? Interval(f.GetProperty("effect").GetDouble(), f.GetProperty("low").GetDouble(), f.GetProperty("high").GetDouble())
            : $"{Ratio(f.GetProperty("effect").GetDouble())} {f.GetProperty("note").GetString()}";

    private static async Task WaitReadyAsync(AuthenticatedClient user, string id)
    {
        string? last = null;
        await Wait.UntilAsync(async () =>
        {
            var row = (await user.Http.GetFromJsonAsync<JsonElement>("/api/reports")).EnumerateArray().First(r => r.GetProperty("id").GetString() == id);
            last = row.ToString();
            row.GetProperty("status").GetString().Should().NotBe("failed", last);
            return row.GetProperty("status").GetString() == "ready" && row.GetProperty("progress").GetInt32() == 100;
        }, Deadline, "the report is ready");
    }

    /// <summary>Two linked accounts with 60 days of posts and daily account snapshots; times sit away from
    /// period boundaries so the report and the later API call see the same posts.</summary>
    private async Task SeedCrmAsync(string userId)
    {
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = DateTime.UtcNow;
        var accounts = new[] { Platform.YouTube, Platform.TikTok }.Select(p => new PlatformAccount
        {
            UserId = userId,
            Platform = p,
            Status = LinkStatus.Connected,
            DisplayName = "Studio " + p,
            LinkedAt = now.AddDays(-70),
        }).ToList();
        db.PlatformAccounts.AddRange(accounts);
        await db.SaveChangesAsync();

        var random = new Random(14);
        foreach (var account in accounts)
        {
            long followers = account.Platform == Platform.YouTube ? 120_000 : 48_000;
            long views = 5_000_000;
            for (var day = 60; day >= 0; day--)
            {
                followers += random.Next(50, 900);
                views += random.Next(20_000, 140_000);
                db.AccountSnapshots.Add(new AccountSnapshot
                {
                    PlatformAccountId = account.Id, UserId = userId, Platform = account.Platform, At = now.AddDays(-day).AddHours(-0.5),
                    Followers = followers, Views = views, Likes = views / 25,
                });
            }

            var posts = new List<PlatformPost>();
            for (var i = 0; i < 40; i++)
            {
                var postViews = random.Next(2_000, 400_000);
                posts.Add(new PlatformPost
                {
                    PlatformAccountId = account.Id, UserId = userId, Platform = account.Platform, ExternalId = $"{account.Platform}-{i}",
                    Title = $"Episode{i:00}{account.Platform} highlights", PublishedAt = now.AddDays(-(i * 1.5) - 0.5).AddHours(-(i % 5) * 3),
                    Url = $"https://example.com/{account.Platform}/{i}",
                    Views = postViews, Likes = postViews / random.Next(12, 40), Comments = postViews / random.Next(150, 600),
                    Shares = postViews / random.Next(80, 300), Saves = postViews / 500, FetchedAt = now,
                });
            }

            db.PlatformPosts.AddRange(posts);
            await db.SaveChangesAsync();
            // Readings a day and two after publication, as the sync writes them: the insights read views at 24 h.
            db.PostSnapshots.AddRange(posts.Where(p => p.PublishedAt < now.AddDays(-2)).SelectMany(p => new[]
            {
                new Terminal.Data.Insights.PostSnapshot { PlatformPostId = p.Id, At = p.PublishedAt.AddHours(23), Views = p.Views * 55 / 100 },
                new Terminal.Data.Insights.PostSnapshot { PlatformPostId = p.Id, At = p.PublishedAt.AddHours(49), Views = p.Views * 80 / 100 },
            }));
        }

        await db.SaveChangesAsync();
    }
}
