using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Tests.Infrastructure;
using Terminal.Web.Features.Insights;

namespace Terminal.Tests.Web.Features.Insights;

/// <summary>ADMIN's view of refused model answers: time, model, reason and the answer, newest first, bounded.</summary>
public sealed class AdminRejectedAnswersPanelTests : BunitTestBase
{
    private readonly RecommendationAudit _audit = new();
    private static readonly DateTime T0 = new(2026, 11, 28, 9, 30, 0, DateTimeKind.Utc);

    public AdminRejectedAnswersPanelTests() => Services.AddSingleton(_audit);

    [Fact]
    public void Empty_SaysNoneWasRejected()
    {
        var panel = Render<AdminRejectedAnswersPanel>();
        panel.Find("[data-empty=rejected-answers]").TextContent.Should().Contain("No model answer");
    }

    [Fact]
    public void Rejections_ShowNewestFirst_WithTimeReasonAndAnswer_AndANewOneAppearsLive()
    {
        _audit.Record(new RejectedAnswer(T0, "gpt-x", "the answer has numbers not in the facts: 987654", "[{\"title\":\"t\",\"why\":\"987654 more views\"}]"));
        var panel = Render<AdminRejectedAnswersPanel>();

        panel.Find("[data-rejected]").TextContent.Should().Contain("2026-11-28 09:30:00").And.Contain("gpt-x");
        panel.Find("[data-reason]").TextContent.Should().Contain("987654");
        panel.Find("[data-answer]").TextContent.Should().Contain("987654 more views");

        _audit.Record(new RejectedAnswer(T0.AddMinutes(1), "gpt-x", "the model could not be reached: timeout", null));

        panel.WaitForAssertion(() => panel.FindAll("[data-rejected]").Should().HaveCount(2));
        panel.FindAll("[data-reason]")[0].TextContent.Should().Contain("could not be reached");
        panel.FindAll("[data-answer]")[0].TextContent.Should().Be("(no answer)");
    }

    [Fact]
    public void TheLog_KeepsOnlyTheNewestEntries_AndCutsLongAnswers()
    {
        for (var i = 0; i < RecommendationAudit.Capacity + 5; i++)
        {
            _audit.Record(new RejectedAnswer(T0.AddSeconds(i), "m", "reason " + i, new string('x', RecommendationAudit.MaxAnswerChars + 10)));
        }

        _audit.Recent.Should().HaveCount(RecommendationAudit.Capacity);
        _audit.Recent[0].Reason.Should().Be("reason " + (RecommendationAudit.Capacity + 4));
        _audit.Recent[^1].Reason.Should().Be("reason 5");
        _audit.Recent[0].Answer!.Length.Should().Be(RecommendationAudit.MaxAnswerChars + 1);
    }
}
