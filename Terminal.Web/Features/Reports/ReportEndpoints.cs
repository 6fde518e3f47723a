using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Terminal.Core;
using Terminal.Core.Common;
using Terminal.Core.Market;
using Terminal.Core.Reports;
using Terminal.Web.Common;
using Terminal.Web.Features.LinkedAccounts;

namespace Terminal.Web.Features.Reports;

public sealed record ReportRequest(string? Kind, string? Period, string? EntityId);

public sealed record ReportScheduleRequest(string? Kind, string? Cadence, string? EntityId);

/// <summary>The <c>/api/reports/{id}/download</c> query string, parsed once by <see cref="Parse"/>.</summary>
public sealed class ReportDownloadParameters
{
    /// <summary>pdf (default), csv or json.</summary>
    [FromQuery(Name = "format")] public string? Format { get; init; }

    public string Parse() => QueryParameters.ParseFormat(Format, "pdf", "csv", "json");
}

/// <summary>SPEC §11 reports: queue, list, download (PDF, CSV, JSON), delete; weekly/monthly schedules. Every
/// handler works on the caller's own rows; someone else's report is a 404, as if it did not exist.</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports");
        reports.MapPost("", Create)
            .Produces<ReportView>(StatusCodes.Status202Accepted).Produces<ApiErrorBody>(StatusCodes.Status400BadRequest).Produces<ApiErrorBody>(StatusCodes.Status404NotFound)
            .WithSummary("Queue a report {kind: crm|market|creator, period: 7d|30d (90d for crm), entityId (creator id or handle, for kind=creator)}; 202 with the report.");
        reports.MapGet("", List).WithSummary("Your reports, newest first, with status and progress.");
        reports.MapGet("/{id:guid}/download", Download)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces<ApiErrorBody>(StatusCodes.Status404NotFound).Produces<ApiErrorBody>(StatusCodes.Status409Conflict)
            .WithSummary("The report as PDF; ?format=csv or ?format=json give the same data. 409 while it is not ready.");
        reports.MapDelete("/{id:guid}", Delete).WithSummary("Delete a report and its files.");
        reports.MapGet("/schedules", ListSchedules).WithSummary("Your weekly/monthly report schedules with their next run.");
        reports.MapPost("/schedules", AddSchedule)
            .Produces<ReportScheduleView>(StatusCodes.Status201Created).Produces<ApiErrorBody>(StatusCodes.Status400BadRequest)
            .WithSummary("Schedule a report {kind, cadence: weekly|monthly, entityId?}: weekly covers 7d (Mondays 06:00 UTC), monthly 30d (the 1st, 06:00 UTC).");
        reports.MapDelete("/schedules/{id:guid}", DeleteSchedule).WithSummary("Delete a schedule.");
        return app;
    }

    private static string UserId(ClaimsPrincipal principal) => LinkedAccountEndpoints.UserId(principal);

    /// <summary>Checks a kind, period and entity the way both reports and schedules need them.</summary>
    public static async Task<(ReportKind Kind, string? EntityId)> ValidateAsync(string? kind, string? entityId, IMarketQueries market, CancellationToken cancellationToken)
    {
        var parsed = ReportParameters.ParseKind(kind);
        if (parsed != ReportKind.Creator)
        {
            return string.IsNullOrWhiteSpace(entityId) ? (parsed, null)
                : throw TerminalException.BadRequest("invalid_entity_id", "entityId is only taken for kind=creator.");
        }

        if (string.IsNullOrWhiteSpace(entityId) || entityId.Length > 64)
        {
            throw TerminalException.BadRequest("invalid_entity_id", "kind=creator needs entityId (a creator id or handle).");
        }

        var creator = await market.FindCreatorAsync(entityId.Trim(), cancellationToken)
            ?? throw TerminalException.NotFound("creator_not_found", $"No creator '{entityId.Trim()}'.");
        return (parsed, creator.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<Accepted<ReportView>> Create(
        ReportRequest? request, ClaimsPrincipal principal, IReportStore store, ReportScheduler scheduler, IMarketQueries market, CancellationToken cancellationToken)
    {
        var (kind, entityId) = await ValidateAsync(request?.Kind, request?.EntityId, market, cancellationToken);
        var period = ReportParameters.ParsePeriod(kind, request?.Period);
        var report = await store.CreateAsync(UserId(principal), kind, period, entityId, null, cancellationToken);
        await scheduler.ProduceAsync(report.Id, cancellationToken);
        return TypedResults.Accepted($"/api/reports/{report.Id}/download", report.ToView());
    }

    private static async Task<Ok<IReadOnlyList<ReportView>>> List(ClaimsPrincipal principal, IReportStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((IReadOnlyList<ReportView>)(await store.ListAsync(UserId(principal), cancellationToken)).Select(r => r.ToView()).ToList());

    private static async Task<Results<PhysicalFileHttpResult, FileContentHttpResult, JsonHttpResult<ReportDocument>>> Download(
        Guid id, [AsParameters] ReportDownloadParameters query, ClaimsPrincipal principal, IReportStore store, ReportFiles files, CancellationToken cancellationToken)
    {
        var wanted = query.Parse();
        var report = await store.GetAsync(id, cancellationToken);
        if (report is null || report.UserId != UserId(principal))
        {
            throw TerminalException.NotFound("report_not_found", "No such report.");
        }

        if (report.Status != ReportStatus.Ready || report.FilePath is null || !File.Exists(files.FullPath(report.FilePath)))
        {
            throw TerminalException.Conflict("report_not_ready", $"The report is {report.Status.ToWire()}; download it once it is ready.");
        }

        var name = $"clip-terminal-{report.Kind.ToWire()}-{report.Period}-{report.CreatedAt:yyyyMMdd}";
        if (wanted == "pdf")
        {
            return TypedResults.PhysicalFile(files.FullPath(report.FilePath), "application/pdf", name + ".pdf");
        }

        var document = await files.ReadDocumentAsync(report.FilePath, cancellationToken)
            ?? throw TerminalException.Conflict("report_not_ready", "The report's data is missing; produce it again.");
        if (wanted == "csv")
        {
            return TypedResults.File(ReportCsv.Write(document), "text/csv", name + ".csv");
        }

        return TypedResults.Json(document, ReportFiles.Json);
    }

    private static async Task<NoContent> Delete(Guid id, ClaimsPrincipal principal, IReportStore store, ReportFiles files, CancellationToken cancellationToken)
    {
        var removed = await store.DeleteAsync(UserId(principal), id, cancellationToken)
            ?? throw TerminalException.NotFound("report_not_found", "No such report.");
        files.Delete(removed.FilePath);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<ReportScheduleView>>> ListSchedules(ClaimsPrincipal principal, IReportStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListSchedulesAsync(UserId(principal), cancellationToken));

    private static async Task<Created<ReportScheduleView>> AddSchedule(
        ReportScheduleRequest? request, ClaimsPrincipal principal, IReportStore store, ReportScheduler scheduler, IMarketQueries market, CancellationToken cancellationToken)
    {
        var (kind, entityId) = await ValidateAsync(request?.Kind, request?.EntityId, market, cancellationToken);
        var cadence = ReportParameters.ParseCadence(request?.Cadence);
        var schedule = await store.AddScheduleAsync(UserId(principal), kind, cadence, entityId, cancellationToken);
        await scheduler.ScheduleAsync(schedule, cancellationToken);
        return TypedResults.Created("/api/reports/schedules", schedule);
    }

    private static async Task<NoContent> DeleteSchedule(Guid id, ClaimsPrincipal principal, IReportStore store, ReportScheduler scheduler, CancellationToken cancellationToken)
    {
        if (!await store.DeleteScheduleAsync(UserId(principal), id, cancellationToken))
        {
            throw TerminalException.NotFound("schedule_not_found", "No such schedule.");
        }

        await scheduler.UnscheduleAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }
}
