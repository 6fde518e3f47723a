using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Web.Features.Insights;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Terminal.Tests.Web.Features.Insights;

/// <summary>The DEMO market with <c>Terminal:AI:Endpoint</c> pointing at a WireMock server speaking OpenAI's chat completions.</summary>
public sealed class ModelInsightsFactory : Market.DemoMarketFactory
{
    public ModelInsightsFactory()
    {
        Model = WireMockServer.Start();
        Settings["Terminal:DemoFeed:Creators"] = "60";
        Settings["Terminal:AI:Endpoint"] = Model.Url;
        Settings["Terminal:AI:Model"] = "fake-gpt";
    }

    public WireMockServer Model { get; }

    /// <summary>What the fake model writes for each item it is given.</summary>
    public volatile string Why = "Keep doing what the facts show.";

    /// <summary>Answers chat/completions with one {title, why} per fact item of the user message.</summary>
    public void Answer()
    {
        Model.Reset();
        Model.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            using var doc = JsonDocument.Parse(request.Body!);
            var user = doc.RootElement.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString()!;
            var count = JsonDocument.Parse(user).RootElement.GetArrayLength();
            var content = JsonSerializer.Serialize(Enumerable.Range(0, count).Select(_ => new { title = "Do more of this", why = Why }));
            var body = new
            {
                id = "chatcmpl-1", @object = "chat.completion", created = 1764300000, model = "fake-gpt",
                choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
            };
            var message = new WireMock.ResponseMessage
            {
                StatusCode = 200,
                BodyData = new WireMock.Util.BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = WireMock.Types.BodyType.String },
            };
            message.AddHeader("Content-Type", "application/json");
            return (WireMock.IResponseMessage)message;
        }));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Model.Stop();
        }
    }
}

public sealed class RecommendationModelTests(ModelInsightsFactory factory) : IClassFixture<ModelInsightsFactory>
{
    private async Task<JsonElement> RecommendAsync()
    {
        ((MemoryCache)factory.Services.GetRequiredService<IMemoryCache>()).Clear();
        var user = await factory.ReadyUserAsync();
        using var response = await user.Http.PostAsJsonAsync("/api/insights/recommendations", new { scope = "market" });
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task ModelAnswerThatOnlyRestates_IsUsed_AndTheModelSawOnlyTheFactsJson()
    {
        factory.Why = "It beat the rest by the stated effect.";
        factory.Answer();

        var body = await RecommendAsync();

        body.GetProperty("model").GetString().Should().Be("fake-gpt");
        body.TryGetProperty("rejected", out _).Should().BeFalse();
        body.GetProperty("items").EnumerateArray().Should().NotBeEmpty().And.OnlyContain(i => i.GetProperty("why").GetString() == factory.Why);
        var sent = factory.Model.LogEntries.Single().RequestMessage.Body!;
        using var request = JsonDocument.Parse(sent);
        request.RootElement.GetProperty("model").GetString().Should().Be("fake-gpt");
        var facts = JsonDocument.Parse(request.RootElement.GetProperty("messages")[1].GetProperty("content").GetString()!).RootElement;
        facts.EnumerateArray().Should().OnlyContain(item => item.EnumerateObject().Select(p => p.Name).SequenceEqual(new[] { "title", "facts" }));
    }

    [Fact]
    public async Task ModelAnswerWithANumberNotInTheFacts_IsReplacedByTheOfflineText_AndTheReasonIsKept()
    {
        factory.Why = "Posting this way gives 987654 more views.";
        factory.Answer();

        var body = await RecommendAsync();

        body.GetProperty("model").GetString().Should().Be("offline");
        body.GetProperty("rejected").GetString().Should().Contain("987654");
        body.GetProperty("items").EnumerateArray().Should().NotBeEmpty().And.OnlyContain(i => i.GetProperty("why").GetString() != factory.Why);
        var logged = (await factory.Services.GetRequiredService<RecommendationAudit>().RecentAsync())[0];
        logged.Reason.Should().Contain("987654");
        logged.Model.Should().Be("fake-gpt");
        logged.Answer.Should().Contain(factory.Why, "ADMIN shows the answer that was refused");
    }
}
