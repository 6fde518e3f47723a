using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace Terminal.Web.Features.Reports;

/// <summary>Reports (SPEC §11): builder, PDF, files, jobs, schedules and endpoints.</summary>
public static class ReportsFeature
{
    public static IHostApplicationBuilder AddReportsFeature(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<ReportBuilder>();
        builder.Services.TryAddSingleton<ReportFiles>();
        builder.Services.TryAddSingleton<ReportProgressFeed>();
        builder.Services.TryAddSingleton<ReportScheduler>();
        builder.Services.AddHostedService<ReportScheduleRestorer>();
        builder.AddQuartz(q =>
        {
            q.AddJob<ProduceReportJob>(j => j.WithIdentity(ProduceReportJob.Key).StoreDurably().WithDescription("Produce one report (PDF, CSV and JSON data)"));
            q.AddJob<ScheduledReportJob>(j => j.WithIdentity(ScheduledReportJob.Key).StoreDurably().WithDescription("Queue a scheduled weekly/monthly report"));
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapReportsFeature(this IEndpointRouteBuilder app)
    {
        app.MapReportEndpoints();
        return app;
    }
}
