using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using Terminal.Core.Insights;
using Terminal.Core.Secrets;
using Terminal.Jobs.Scheduling;

namespace Terminal.Web.Features.Insights;

/// <summary>Insights (SPEC §10): statistics service, recommendations and their endpoints.</summary>
public static class InsightsFeature
{
    /// <summary>Key of the recommendations' <see cref="IChatClient"/> (registered only when <c>Terminal:AI:Endpoint</c> is set).</summary>
    public const string ChatClientKey = "insights";

    public static IHostApplicationBuilder AddInsightsFeature(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.TryAddSingleton<InsightsService>();
        builder.Services.TryAddSingleton<IOpportunityGapSource>(sp => sp.GetRequiredService<InsightsService>());
        builder.Services.TryAddSingleton<RecommendationAudit>();
        builder.Services.TryAddSingleton<RecommendationService>();
        builder.Services.TryAddSingleton<InsightsRefreshProgress>();
        // Each node's insights cache is its own memory: a per-node job (the node's own scheduler when clustered).
        builder.AddPerNodeJobs(q =>
        {
            q.AddJob<InsightsRefreshJob>(j => j.WithIdentity(InsightsRefreshJob.Key).WithDescription("Computes the market's pattern runs and outliers as data moves"));
            q.AddStandingTrigger(t => t.ForJob(InsightsRefreshJob.Key).WithIdentity("insights-refresh-trigger", "insights")
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(30))
                .WithSimpleSchedule(s => s.WithInterval(InsightsService.CacheFor).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        builder.Services.AddOptions<InsightAiOptions>().Bind(builder.Configuration.GetSection(InsightAiOptions.Section));
        builder.Services.AddHttpClient(ChatClientKey, c => c.Timeout = TimeSpan.FromSeconds(30));
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{InsightAiOptions.Section}:Endpoint"]))
        {
            builder.Services.AddKeyedSingleton<IChatClient>(ChatClientKey, (sp, _) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<InsightAiOptions>>().CurrentValue;
                var secrets = sp.GetRequiredService<ISecretStore>();
                return new OpenAiCompatibleChatClient(
                    sp.GetRequiredService<IHttpClientFactory>().CreateClient(ChatClientKey),
                    OpenAiCompatibleChatClient.BaseOf(options.Endpoint!),
                    options.Model,
                    ct => string.IsNullOrWhiteSpace(options.ApiKey) ? Task.FromResult<string?>(null) : secrets.GetAsync(options.ApiKey, ct));
            });
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapInsightsFeature(this IEndpointRouteBuilder app)
    {
        app.MapInsightEndpoints();
        return app;
    }
}
