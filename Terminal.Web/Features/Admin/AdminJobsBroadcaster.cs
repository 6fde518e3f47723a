using Microsoft.AspNetCore.SignalR;
using Quartz;
using Terminal.Core.Accounts;
using Terminal.Jobs.Admin;
using Terminal.Web.Features.Market;

namespace Terminal.Web.Features.Admin;

/// <summary>One finished job run, as pushed to admins over <c>/hubs/market</c>.</summary>
public sealed record JobRunMessage(string Group, string Key, string Result, long DurationMs, DateTimeOffset At);

/// <summary>
/// Pushes every finished job run (<c>JobRun</c>) to the signed-in admins' hub connections, so an
/// operations client sees runs as they happen. The ADMIN screen itself listens in-process.
/// </summary>
public sealed class AdminJobsBroadcaster(
    JobRunHistory history,
    IHubContext<MarketHub> hub,
    IAccountDirectory accounts,
    TimeProvider time,
    ILogger<AdminJobsBroadcaster> logger) : IHostedService, IDisposable
{
    public const string JobRunMethod = "JobRun";

    /// <summary>How long the admin list is trusted before it is read again (role changes are rare).</summary>
    private static readonly TimeSpan AdminListLifetime = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyList<string> _admins = [];
    private DateTimeOffset _adminsReadAt = DateTimeOffset.MinValue;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        history.Recorded += OnRecorded;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        history.Recorded -= OnRecorded;
        return Task.CompletedTask;
    }

    public void Dispose() => _refresh.Dispose();

    private void OnRecorded(JobKey key, JobRunRecord run) => _ = SendAsync(key, run);

    private async Task SendAsync(JobKey key, JobRunRecord run)
    {
        try
        {
            var admins = await AdminsAsync();
            if (admins.Count > 0)
            {
                await hub.Clients.Users(admins).SendAsync(JobRunMethod, new JobRunMessage(key.Group, key.Name, run.Result, run.DurationMs, run.FinishedAt));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not push the run of {Group}.{Key} to admins", key.Group, key.Name);
        }
    }

    private async Task<IReadOnlyList<string>> AdminsAsync()
    {
        // An empty list is never trusted: the first admin may have just signed up.
        if (_admins.Count > 0 && time.GetUtcNow() - _adminsReadAt < AdminListLifetime)
        {
            return _admins;
        }

        await _refresh.WaitAsync();
        try
        {
            if (_admins.Count == 0 || time.GetUtcNow() - _adminsReadAt >= AdminListLifetime)
            {
                _admins = await accounts.UserIdsInRoleAsync(Roles.Admin, CancellationToken.None);
                _adminsReadAt = time.GetUtcNow();
            }

            return _admins;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
