using System.Text.Json.Serialization;
using Terminal.Core.Common;

namespace Terminal.Core.Reports;

/// <summary>What a report covers (SPEC §11): the caller's linked accounts, the market, or one creator.</summary>
public enum ReportKind
{
    [JsonStringEnumMemberName("crm")] Crm = 1,
    [JsonStringEnumMemberName("market")] Market = 2,
    [JsonStringEnumMemberName("creator")] Creator = 3,
}

public enum ReportStatus
{
    [JsonStringEnumMemberName("queued")] Queued = 1,
    [JsonStringEnumMemberName("processing")] Processing = 2,
    [JsonStringEnumMemberName("ready")] Ready = 3,
    [JsonStringEnumMemberName("failed")] Failed = 4,
}

/// <summary>How often a schedule produces a report: weekly covers 7d, monthly 30d.</summary>
public enum ReportCadence
{
    [JsonStringEnumMemberName("weekly")] Weekly = 1,
    [JsonStringEnumMemberName("monthly")] Monthly = 2,
}

/// <summary>Wire names of the report enums (their JSON names).</summary>
public static class ReportWire
{
    public static string ToWire(this ReportKind value) => WireNames.ToWire(value);

    public static string ToWire(this ReportStatus value) => WireNames.ToWire(value);

    public static string ToWire(this ReportCadence value) => WireNames.ToWire(value);
}

/// <summary>Report periods: 7d, 30d, and 90d for CRM reports (the CRM's own periods).</summary>
public static class ReportPeriods
{
    public static bool TryParse(ReportKind kind, string? value, out string period, out TimeSpan length)
    {
        period = (value ?? "").Trim().ToLowerInvariant();
        length = period switch
        {
            "7d" => TimeSpan.FromDays(7),
            "30d" => TimeSpan.FromDays(30),
            "90d" when kind == ReportKind.Crm => TimeSpan.FromDays(90),
            _ => TimeSpan.Zero,
        };
        return length > TimeSpan.Zero;
    }

    public static string Of(ReportCadence cadence) => cadence == ReportCadence.Weekly ? "7d" : "30d";

    /// <summary>Quartz cron of a cadence: Mondays 06:00 UTC, or the 1st of the month 06:00 UTC.</summary>
    public static string Cron(ReportCadence cadence) => cadence == ReportCadence.Weekly ? "0 0 6 ? * MON" : "0 0 6 1 * ?";
}

/// <summary>The report API's parameters (kind, period, cadence), each with one error code; bad input throws a 400 <see cref="TerminalException"/>.</summary>
public static class ReportParameters
{
    /// <summary><c>crm|market|creator</c> in any case.</summary>
    public static ReportKind ParseKind(string? value) =>
        WireNames.TryParse<ReportKind>(value, out var kind) ? kind.Value
        : throw TerminalException.BadRequest("invalid_kind", "kind must be crm, market or creator.");

    /// <summary><c>7d|30d</c>, and <c>90d</c> for CRM reports; returned in lowercase.</summary>
    public static string ParsePeriod(ReportKind kind, string? value) =>
        ReportPeriods.TryParse(kind, value, out var period, out _) ? period
        : throw TerminalException.BadRequest("invalid_period", kind == ReportKind.Crm ? "period must be 7d, 30d or 90d." : "period must be 7d or 30d.");

    /// <summary><c>weekly|monthly</c> in any case.</summary>
    public static ReportCadence ParseCadence(string? value) =>
        WireNames.TryParse<ReportCadence>(value, out var cadence) ? cadence.Value
        : throw TerminalException.BadRequest("invalid_cadence", "cadence must be weekly or monthly.");
}

/// <summary>A report as the API shows it (<c>GET /api/reports</c>).</summary>
public sealed record ReportView(
    Guid Id, ReportKind Kind, string Period, string? EntityId, ReportStatus Status, int Progress,
    DateTime CreatedAt, DateTime? CompletedAt, string? Error, long? SizeBytes, Guid? ScheduleId);

/// <summary>A stored report row, with where its files are (relative to the data directory).</summary>
public sealed record ReportRecord(
    Guid Id, string UserId, ReportKind Kind, string Period, string? EntityId, ReportStatus Status, int Progress,
    string? FilePath, DateTime CreatedAt, DateTime? CompletedAt, string? Error, long? SizeBytes, Guid? ScheduleId)
{
    public ReportView ToView() => new(Id, Kind, Period, EntityId, Status, Progress, CreatedAt, CompletedAt, Error, SizeBytes, ScheduleId);
}

/// <summary>A weekly or monthly schedule of one user.</summary>
public sealed record ReportScheduleView(Guid Id, ReportKind Kind, ReportCadence Cadence, string? EntityId, DateTime CreatedAt)
{
    [JsonIgnore]
    public string UserId { get; init; } = "";
}

/// <summary>Report rows and schedules (implemented in Terminal.Data/Reports).</summary>
public interface IReportStore
{
    Task<ReportRecord> CreateAsync(string userId, ReportKind kind, string period, string? entityId, Guid? scheduleId, CancellationToken cancellationToken = default);

    Task<ReportRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The user's own reports, newest first.</summary>
    Task<IReadOnlyList<ReportRecord>> ListAsync(string userId, CancellationToken cancellationToken = default);

    Task UpdateProgressAsync(Guid id, ReportStatus status, int progress, CancellationToken cancellationToken = default);

    Task CompleteAsync(Guid id, string filePath, long sizeBytes, CancellationToken cancellationToken = default);

    Task FailAsync(Guid id, string error, CancellationToken cancellationToken = default);

    /// <summary>Deletes the user's report row; null when it is not theirs (or gone).</summary>
    Task<ReportRecord?> DeleteAsync(string userId, Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReportScheduleView>> ListSchedulesAsync(string? userId, CancellationToken cancellationToken = default);

    Task<ReportScheduleView?> GetScheduleAsync(Guid id, CancellationToken cancellationToken = default);

    Task<ReportScheduleView> AddScheduleAsync(string userId, ReportKind kind, ReportCadence cadence, string? entityId, CancellationToken cancellationToken = default);

    Task<bool> DeleteScheduleAsync(string userId, Guid id, CancellationToken cancellationToken = default);
}
