using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;

namespace Terminal.Data.LinkedAccounts;

/// <summary>Ingestion runs for ADMIN (all users).</summary>
public sealed class IngestionQueries(IDbContextFactory<TerminalDbContext> dbFactory) : IIngestionQueries
{
    public async Task<IReadOnlyList<IngestionRunView>> GetRecentAsync(Platform? platform, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = db.IngestionRuns.AsNoTracking();
        if (platform is not null)
        {
            runs = runs.Where(r => r.Platform == platform);
        }

        return await runs
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .Take(limit)
            .Select(r => new IngestionRunView(r.Id, r.UserId, db.Users.Where(u => u.Id == r.UserId).Select(u => u.Email).FirstOrDefault(), r.Platform, r.Trigger,
                r.StartedAt, r.FinishedAt, r.Records, r.Errors, r.QuotaUsed, r.Status, r.Error))
            .ToListAsync(cancellationToken);
    }
}
