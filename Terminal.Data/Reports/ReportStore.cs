using Terminal.Core.Reports;

namespace Terminal.Data.Reports;

/// <summary>Report rows and schedules; every user-facing read is filtered by owner.</summary>
public sealed class ReportStore(IDbContextFactory<TerminalDbContext> dbFactory, TimeProvider clock) : IReportStore
{
    public async Task<ReportRecord> CreateAsync(string userId, ReportKind kind, string period, string? entityId, Guid? scheduleId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = new ReportEntity
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Kind = kind,
            Period = period,
            EntityId = entityId,
            Status = ReportStatus.Queued,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            ScheduleId = scheduleId,
        };
        db.Reports.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.ToRecord();
    }

    public async Task<ReportRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken))?.ToRecord();
    }

    public async Task<IReadOnlyList<ReportRecord>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Reports.AsNoTracking().Where(r => r.UserId == userId).ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.CreatedAt).Select(r => r.ToRecord()).ToList();
    }

    public async Task UpdateProgressAsync(Guid id, ReportStatus status, int progress, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Reports.Where(r => r.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.Progress, Math.Clamp(progress, 0, 100)), cancellationToken);
    }

    public async Task CompleteAsync(Guid id, string filePath, long sizeBytes, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Reports.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, ReportStatus.Ready)
            .SetProperty(r => r.Progress, 100)
            .SetProperty(r => r.FilePath, filePath)
            .SetProperty(r => r.SizeBytes, sizeBytes)
            .SetProperty(r => r.CompletedAt, now)
            .SetProperty(r => r.Error, (string?)null), cancellationToken);
    }

    public async Task FailAsync(Guid id, string error, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var text = error.Length > 400 ? error[..400] : error;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Reports.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, ReportStatus.Failed)
            .SetProperty(r => r.CompletedAt, now)
            .SetProperty(r => r.Error, text), cancellationToken);
    }

    public async Task<ReportRecord?> DeleteAsync(string userId, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Reports.FirstOrDefaultAsync(r => r.Id == id && r.UserId == userId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        db.Reports.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.ToRecord();
    }

    public async Task<IReadOnlyList<ReportScheduleView>> ListSchedulesAsync(string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ReportSchedules.AsNoTracking();
        if (userId is not null)
        {
            query = query.Where(s => s.UserId == userId);
        }

        var rows = await query.ToListAsync(cancellationToken);
        return rows.OrderBy(s => s.CreatedAt).Select(s => s.ToView()).ToList();
    }

    public async Task<ReportScheduleView?> GetScheduleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await db.ReportSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken))?.ToView();
    }

    public async Task<ReportScheduleView> AddScheduleAsync(string userId, ReportKind kind, ReportCadence cadence, string? entityId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = new ReportScheduleEntity
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Kind = kind,
            Cadence = cadence,
            EntityId = entityId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ReportSchedules.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.ToView();
    }

    public async Task<bool> DeleteScheduleAsync(string userId, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ReportSchedules.Where(s => s.Id == id && s.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;
    }
}
