namespace Terminal.Core.LinkedAccounts;

/// <summary>The Creator CRM (SPEC §2, §4) from one user's own linked accounts (implemented in Terminal.Data/LinkedAccounts).</summary>
public interface ICrmQueries
{
    /// <summary>The user's KPIs over the last <paramref name="period"/>, their deltas against the period before, the series and recent posts.</summary>
    Task<CrmPerformance> GetPerformanceAsync(string userId, TimeSpan period, CancellationToken cancellationToken = default);
}
