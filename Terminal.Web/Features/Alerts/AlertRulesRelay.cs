using StackExchange.Redis;
using Terminal.Core.Alerts;
using Terminal.Web.Features.Cluster;

namespace Terminal.Web.Features.Alerts;

/// <summary>
/// With <c>Terminal:Redis</c> set, tells every node when alert rules or watchlists changed on one of
/// them, so the node that evaluates (the market producer) reloads rules created on any node, and a
/// node that becomes the producer later holds today's rules too. Without Redis it does nothing.
/// Redis pub/sub is at-most-once: a node cut off from Redis during a change reloads at its next own
/// change or restart (REVIEW: a periodic reload would bound that).
/// </summary>
public sealed partial class AlertRulesRelay(AlertMonitor monitor, ClusterRedis redis, ILogger<AlertRulesRelay> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(":alert-rules-changed");

    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (await redis.SubscriberAsync() is not { } subscriber)
        {
            return;
        }

        // The publishing node receives its own message too; reloading once more is harmless.
        await subscriber.SubscribeAsync(Channel, (_, _) => monitor.InvalidateFromPeer());
        monitor.Invalidated += OnInvalidated;
    }

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        monitor.Invalidated -= OnInvalidated;
        await redis.UnsubscribeAsync(Channel);
    }

    private void OnInvalidated() => _ = PublishAsync();

    private async Task PublishAsync()
    {
        if (await redis.TryPublishAsync(Channel, "changed") is { } failure)
        {
            LogPublishFailed(logger, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other nodes that alert rules changed; they reload them at their next change or restart")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
