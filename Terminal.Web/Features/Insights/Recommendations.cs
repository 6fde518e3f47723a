using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Terminal.Core.Insights;

namespace Terminal.Web.Features.Insights;

/// <summary>One recommendation: a title, why, and the computed numbers it restates.</summary>
public sealed record RecommendationItem(string Title, string Why, IReadOnlyDictionary<string, double> Facts);

/// <summary>SPEC §10 <c>POST /api/insights/recommendations</c> body. <see cref="Rejected"/> says why a model's answer was replaced by the offline text.</summary>
public sealed record RecommendationsResponse(IReadOnlyList<RecommendationItem> Items, string Model)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Rejected { get; init; }
}

/// <summary><c>Terminal:AI</c>: an OpenAI-compatible endpoint for recommendations; unset = offline.</summary>
public sealed class InsightAiOptions
{
    public const string Section = "Terminal:AI";

    /// <summary>Base URL of an OpenAI-compatible API (…/v1 is appended when missing).</summary>
    public string? Endpoint { get; set; }

    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>Reference of the API key in the secret store (never the key itself).</summary>
    public string? ApiKey { get; set; }
}

/// <summary>
/// The rejected model answers, for ADMIN: stored (<see cref="IRejectedAnswerStore"/>, kept 30 days and
/// at most 1,000 rows), so they survive a restart and every node sees every node's rejections.
/// <see cref="Changed"/> lets an open ADMIN tab on this node re-read at once.
/// </summary>
public sealed class RecommendationAudit(IRejectedAnswerStore store, ILogger<RecommendationAudit> logger)
{
    /// <summary>How many the ADMIN tab shows.</summary>
    public const int Shown = 50;

    /// <summary>Raised after an entry is stored (ADMIN re-renders).</summary>
    public event Action? Changed;

    /// <summary>The newest <see cref="Shown"/> rejections, newest first.</summary>
    public Task<IReadOnlyList<RejectedAnswer>> RecentAsync(CancellationToken cancellationToken = default) => store.RecentAsync(Shown, cancellationToken);

    /// <summary>Stores a rejection; a failing store is logged, never failing the recommendation (the offline text is still served).</summary>
    public async Task RecordAsync(RejectedAnswer entry, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.AddAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Rejected answer of {Model} could not be stored", entry.Model);
            return;
        }

        Changed?.Invoke();
    }
}

/// <summary>
/// Recommendations that only restate computed facts (SPEC §10). The offline writer turns the facts into
/// short sentences deterministically; when an <see cref="IChatClient"/> is configured the model sees only
/// the JSON of the facts, and an answer with any number not among them is rejected (offline text used,
/// reason logged, returned in <c>rejected</c> and kept for ADMIN). Answers are cached per facts hash.
/// </summary>
public sealed class RecommendationService(
    InsightsService insights, IMemoryCache cache, RecommendationAudit audit, ILogger<RecommendationService> logger, IServiceProvider services, TimeProvider clock)
{
    public const string Offline = "offline";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<RecommendationsResponse> RecommendAsync(InsightRequest request, CancellationToken cancellationToken = default)
    {
        var offline = await FactsAsync(request, cancellationToken);
        var chat = services.GetKeyedService<IChatClient>(InsightsFeature.ChatClientKey);
        var model = services.GetRequiredService<IOptionsMonitor<InsightAiOptions>>().CurrentValue.Model;
        if (chat is null || offline.Count == 0)
        {
            return new RecommendationsResponse(offline, Offline);
        }

        var factsJson = JsonSerializer.Serialize(offline.Select(i => new { i.Title, i.Facts }), Json);
        var key = "recommend|" + model + "|" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(factsJson)));
        if (cache.TryGetValue(key, out RecommendationsResponse? hit) && hit is not null)
        {
            return hit;
        }

        var response = await AskAsync(chat, model, offline, factsJson, cancellationToken);
        cache.Set(key, response, TimeSpan.FromHours(1));
        return response;
    }

    private async Task<RecommendationsResponse> AskAsync(IChatClient chat, string model, IReadOnlyList<RecommendationItem> offline, string factsJson, CancellationToken cancellationToken)
    {
        string reason;
        string? text = null;
        try
        {
            var answer = await chat.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System,
                        "You write short recommendations for a video creator. Use ONLY the numbers in the facts JSON, never any other number. " +
                        "Answer with a JSON array with one object {\"title\",\"why\"} per input item, in the same order."),
                    new ChatMessage(ChatRole.User, factsJson),
                ],
                new ChatOptions { ModelId = model, Temperature = 0 },
                cancellationToken);
            text = answer.Text;
            var items = ParseAnswer(text, offline.Count);
            if (items is null)
            {
                reason = "the answer was not a JSON array of one {title, why} per fact item";
            }
            else
            {
                var facts = offline.SelectMany(i => i.Facts.Values).ToArray();
                var labels = Labels(offline);
                var bad = items.SelectMany(i => InsightWriter.UnsupportedNumbers(i.Title + " " + i.Why, facts, labels)).Distinct().ToArray();
                if (bad.Length == 0)
                {
                    return new RecommendationsResponse(items.Select((i, k) => new RecommendationItem(i.Title, i.Why, offline[k].Facts)).ToList(), model);
                }

                reason = "the answer has numbers not in the facts: " + string.Join(", ", bad);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            reason = "the model could not be reached: " + ex.Message;
        }

        logger.LogWarning("Recommendation answer of {Model} rejected, offline text used: {Reason}", model, reason);
        await audit.RecordAsync(new RejectedAnswer(clock.GetUtcNow().UtcDateTime, model, reason, text), CancellationToken.None);
        return new RecommendationsResponse(offline, Offline) { Rejected = reason };
    }

    private static List<(string Title, string Why)>? ParseAnswer(string text, int count)
    {
        var start = text.IndexOf('[', StringComparison.Ordinal);
        var end = text.LastIndexOf(']');
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            var items = JsonSerializer.Deserialize<List<AnswerItem>>(text[start..(end + 1)], Json);
            return items is { Count: > 0 } && items.Count == count && items.All(i => !string.IsNullOrWhiteSpace(i.Title) && i.Why is not null)
                ? items.Select(i => (i.Title!, i.Why!)).ToList()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Quoted names in the offline text (groups, titles, topics, hours): text, not numbers, when quoted the same way.</summary>
    public static IReadOnlyList<string> Labels(IEnumerable<RecommendationItem> items) =>
        items.SelectMany(i => System.Text.RegularExpressions.Regex.Matches(i.Title + " " + i.Why, "\"([^\"]*)\"").Select(m => m.Groups[1].Value)).Distinct().ToList();

    private sealed record AnswerItem(string? Title, string? Why);

    /// <summary>The offline recommendations: each sentence prints only its own facts (rounded for reading).</summary>
    private async Task<IReadOnlyList<RecommendationItem>> FactsAsync(InsightRequest request, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var items = new List<RecommendationItem>();
        var patterns = await insights.PatternsAsync(request, cancellationToken);
        foreach (var f in patterns.Findings.Where(f => f.Significant && f.Effect > 1).OrderByDescending(f => f.Effect).Take(2))
        {
            items.Add(new RecommendationItem(
                string.Create(c, $"Favour {Describe(f.Feature, f.Group)}"),
                string.Create(c, $"Median views at {InsightsService.Age.TotalHours:0} h are ×{f.Effect:0.00} the rest's (interval {f.Low:0.00}–{f.High:0.00}, q {InsightWriter.Q(f.Q!.Value)}, {f.N} posts)."),
                new Dictionary<string, double> { ["ageHours"] = InsightsService.Age.TotalHours, ["effect"] = f.Effect!.Value, ["low"] = f.Low!.Value, ["high"] = f.High!.Value, ["q"] = f.Q!.Value, ["n"] = f.N }));
        }

        var outliers = await insights.OutliersAsync(request, cancellationToken);
        if (outliers.FirstOrDefault() is { } top)
        {
            items.Add(new RecommendationItem(
                "Clip more like \"" + top.Title + "\"",
                string.Create(c, $"It reached {top.Views:0} views at {top.AgeHours:0} h, ×{top.Ratio:0.00} its creator's usual {top.Baseline:0} (interval ×{top.Low:0.00}–{top.High:0.00})."),
                new Dictionary<string, double> { ["ageHours"] = top.AgeHours, ["views"] = top.Views, ["ratio"] = top.Ratio, ["baseline"] = top.Baseline, ["low"] = top.Low, ["high"] = top.High }));
        }

        if (request.Scope == InsightScope.Mine)
        {
            var best = await insights.BestTimesAsync(request.UserId!, request.Platform, cancellationToken);
            if (best.Hours.Where(h => h.Effect is not null && h.Low > 1).OrderByDescending(h => h.Effect).FirstOrDefault() is { } hour)
            {
                items.Add(new RecommendationItem(
                    "Post at \"" + HourName(hour.HourOfWeek) + "\"",
                    string.Create(c, $"Your posts in that hour get ×{hour.Effect:0.00} the views of your other hours (interval {hour.Low:0.00}–{hour.High:0.00}, {hour.N} posts)."),
                    new Dictionary<string, double> { ["effect"] = hour.Effect!.Value, ["low"] = hour.Low!.Value, ["high"] = hour.High!.Value, ["n"] = hour.N }));
            }
        }
        else
        {
            var gaps = await insights.OpportunitiesAsync(request.Platform, Core.Market.Period.Day, cancellationToken);
            if (gaps.FirstOrDefault() is { Gap: > 0 } gap)
            {
                items.Add(new RecommendationItem(
                    "Serve \"" + gap.Topic + "\"",
                    string.Create(c, $"Demand of {gap.Demand:0} views/h meets {gap.Supply:0.00} new clips/h: gap {gap.Gap:0} of 100 (interval {gap.Low:0}–{gap.High:0})."),
                    new Dictionary<string, double> { ["demand"] = gap.Demand, ["supply"] = gap.Supply, ["gap"] = gap.Gap, ["low"] = gap.Low, ["high"] = gap.High }));
            }
        }

        return items;
    }

    /// <summary>A group by the label the UI shows ("Duration 20–40 s"), quoted since labels may hold digits.</summary>
    private static string Describe(string feature, string group) => "\"" + InsightLabels.Group(feature, group) + "\"";

    private static string HourName(int hourOfWeek)
    {
        string[] days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
        return string.Create(CultureInfo.InvariantCulture, $"{days[hourOfWeek / 24]} {hourOfWeek % 24:00}:00 UTC");
    }
}
