using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Terminal.Core.Insights;
using Terminal.Data;
using Terminal.Data.Insights;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Insights;

namespace Terminal.Tests.Web.Features.Insights;

/// <summary>
/// ADMIN's view of refused model answers (time, model, reason, answer; newest first), read from the
/// database: they survive a restart, every node sees them, and retention keeps the table small.
/// </summary>
public sealed class AdminRejectedAnswersPanelTests : BunitTestBase, IClassFixture<TerminalWebFactory>
{
    private static readonly DateTime T0 = new(2026, 11, 28, 9, 30, 0, DateTimeKind.Utc);

    private readonly TerminalWebFactory _factory;

    public AdminRejectedAnswersPanelTests(TerminalWebFactory factory)
    {
        _factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<RecommendationAudit>());
        // Each test starts from an empty log (the tests of a class run one after another).
        using var db = Db.CreateDbContext();
        db.RejectedModelAnswers.ExecuteDelete();
    }

    private IDbContextFactory<TerminalDbContext> Db => _factory.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>();

    private RecommendationAudit Audit => _factory.Services.GetRequiredService<RecommendationAudit>();

    [Fact]
    public void Empty_SaysNoneWasRejected()
    {
        var panel = Render<AdminRejectedAnswersPanel>();
        panel.WaitForAssertion(() => panel.Find("[data-empty=rejected-answers]").TextContent.Should().Contain("No model answer"));
    }

    [Fact]
    public async Task Rejections_ShowNewestFirst_WithTimeReasonAndAnswer_AndANewOneAppearsLive()
    {
        await Audit.RecordAsync(new RejectedAnswer(T0, "gpt-x", "the answer has numbers not in the facts: 987654", "[{\"title\":\"t\",\"why\":\"987654 more views\"}]"));
        var panel = Render<AdminRejectedAnswersPanel>();

        panel.WaitForAssertion(() => panel.Find("[data-rejected]").TextContent.Should().Contain("2026-11-28 09:30:00").And.Contain("gpt-x"));
        panel.Find("[data-reason]").TextContent.Should().Contain("987654");
        panel.Find("[data-answer]").TextContent.Should().Contain("987654 more views");

        await Audit.RecordAsync(new RejectedAnswer(T0.AddMinutes(1), "gpt-x", "the model could not be reached: timeout", null));

        panel.WaitForAssertion(() => panel.FindAll("[data-rejected]").Should().HaveCount(2));
        panel.FindAll("[data-reason]")[0].TextContent.Should().Contain("could not be reached");
        panel.FindAll("[data-answer]")[0].TextContent.Should().Be("(no answer)");
    }

    [Fact]
    public async Task Rejections_AreStored_SoAnotherNodeOrARestartedOneSeesThem()
    {
        await Audit.RecordAsync(new RejectedAnswer(T0, "gpt-x", "reason", "answer"));

        // A second audit over the same database: what a restarted process, or another node, builds.
        var other = new RecommendationAudit(new RejectedAnswerStore(Db), NullLogger<RecommendationAudit>.Instance);

        (await other.RecentAsync()).Should().Equal(new RejectedAnswer(T0, "gpt-x", "reason", "answer"));
    }

    [Fact]
    public async Task Retention_DropsAnswersOlderThan30Days_AndKeepsTheNewest1000_AndCutsLongAnswers()
    {
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.RejectedModelAnswers.Add(new RejectedModelAnswer { At = T0 - RejectedAnswers.KeepFor - TimeSpan.FromMinutes(1), Model = "m", Reason = "too old" });
            db.RejectedModelAnswers.AddRange(Enumerable.Range(0, RejectedAnswers.KeepRows).Select(i => new RejectedModelAnswer { At = T0.AddSeconds(i - RejectedAnswers.KeepRows), Model = "m", Reason = "reason " + i }));
            await db.SaveChangesAsync();
        }

        await Audit.RecordAsync(new RejectedAnswer(T0, "m", "newest", new string('x', RejectedAnswers.MaxAnswerChars + 10)));

        await using (var db = await Db.CreateDbContextAsync())
        {
            (await db.RejectedModelAnswers.CountAsync()).Should().Be(RejectedAnswers.KeepRows);
            (await db.RejectedModelAnswers.AnyAsync(a => a.Reason == "too old" || a.Reason == "reason 0")).Should().BeFalse("the oldest fell out of retention");
            (await db.RejectedModelAnswers.AnyAsync(a => a.Reason == "reason 1")).Should().BeTrue();
        }

        var recent = await Audit.RecentAsync();
        recent.Should().HaveCount(RecommendationAudit.Shown);
        recent[0].Reason.Should().Be("newest");
        recent[0].Answer!.Length.Should().Be(RejectedAnswers.MaxAnswerChars);
        recent[0].Answer.Should().EndWith("…");
        recent[^1].Reason.Should().Be("reason " + (RejectedAnswers.KeepRows - RecommendationAudit.Shown + 1));
    }
}
