using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Terminal.Core.Reports;
using Terminal.Web.Features.Market;

namespace Terminal.Web.Features.Reports;

/// <summary>Hub message <c>ReportProgress {id,status,progress,error}</c>, sent to the report's owner only.</summary>
public sealed record ReportProgress(Guid Id, ReportStatus Status, int Progress, string? Error);

/// <summary>
/// Report progress to its owner only, like <c>ClipProgressFeed</c>: over the market hub to that user's
/// connections and in-process to the owner's open ACCT → Reports panels.
/// </summary>
public sealed class ReportProgressFeed(IHubContext<MarketHub> hub, ILogger<ReportProgressFeed> logger)
{
    public const string HubMethod = "ReportProgress";
    private readonly ConcurrentDictionary<Guid, (string UserId, Func<ReportProgress, Task> Handler)> _subscriptions = new();

    public async Task NotifyAsync(string userId, ReportProgress progress, CancellationToken cancellationToken = default)
    {
        foreach (var (owner, handler) in _subscriptions.Values)
        {
            if (owner != userId)
            {
                continue;
            }

            try
            {
                await handler(progress);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "A report progress subscriber failed");
            }
        }

        await hub.Clients.User(userId).SendAsync(HubMethod, progress, cancellationToken);
    }

    public IDisposable Subscribe(string userId, Func<ReportProgress, Task> handler)
    {
        var id = Guid.NewGuid();
        _subscriptions[id] = (userId, handler);
        return new Unsubscriber(() => _subscriptions.TryRemove(id, out _));
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
