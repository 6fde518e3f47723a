using Terminal.Core.Market;

namespace Terminal.Core.LinkedAccounts;

/// <summary>An ingestion run as ADMIN lists it (with the user's e-mail, null when the account is gone).</summary>
public sealed record IngestionRunView(long Id, string UserId, string? UserEmail, Platform Platform, string Trigger, DateTime StartedAt, DateTime? FinishedAt,
    int Records, int Errors, int QuotaUsed, IngestionStatus Status, string? Error);

/// <summary>Ingestion runs for ADMIN, all users (implemented in Terminal.Data/LinkedAccounts).</summary>
public interface IIngestionQueries
{
    /// <summary>The newest <paramref name="limit"/> runs, newest first (platform null = all).</summary>
    Task<IReadOnlyList<IngestionRunView>> GetRecentAsync(Platform? platform, int limit, CancellationToken cancellationToken = default);
}
