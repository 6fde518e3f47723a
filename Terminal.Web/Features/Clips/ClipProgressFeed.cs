using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Terminal.Core.Clips;
using Terminal.Web.Features.Market;

namespace Terminal.Web.Features.Clips;

/// <summary>
/// Delivers <c>ClipProgress</c> to its owner only (SPEC §5): over the market hub to that user's
/// connections (SignalR's user id is the Identity user id), and in-process to the owner's open clip
/// desks, which subscribe here.
/// </summary>
public sealed class ClipProgressFeed(IHubContext<MarketHub> hub, ILogger<ClipProgressFeed> logger) : IClipProgressNotifier
{
    public const string HubMethod = "ClipProgress";
    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();

    public async Task NotifyAsync(string userId, ClipProgress progress, CancellationToken cancellationToken = default)
    {
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.UserId == userId)
            {
                try
                {
                    await subscription.Handler(progress);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "A clip progress subscriber failed");
                }
            }
        }

        await hub.Clients.User(userId).SendAsync(HubMethod, progress, cancellationToken);
    }

    /// <summary>Progress of <paramref name="userId"/>'s clips until the returned handle is disposed.</summary>
    public IDisposable Subscribe(string userId, Func<ClipProgress, Task> handler)
    {
        var id = Guid.NewGuid();
        _subscriptions[id] = new Subscription(userId, handler);
        return new Unsubscriber(() => _subscriptions.TryRemove(id, out _));
    }

    private sealed record Subscription(string UserId, Func<ClipProgress, Task> Handler);

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
