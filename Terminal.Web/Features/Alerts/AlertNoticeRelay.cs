using System.Text.Json;
using StackExchange.Redis;
using Terminal.Web.Features.Cluster;

namespace Terminal.Web.Features.Alerts;

/// <summary>
/// With <c>Terminal:Redis</c> set, carries the alert notices of <see cref="AlertNotifier"/> (a firing, an
/// unread count after an acknowledgement) to every other node, so the shell's toast and counter of a user
/// whose circuit lives on another node than the evaluating producer, or than the one that took the ack,
/// still update. Each node raises its own notices locally at once and ignores their echo. Without Redis it
/// does nothing. Pub/sub is at-most-once: a notice lost while a node is cut off from Redis is not replayed;
/// the counter is right again at the user's next notice or page load.
/// </summary>
public sealed partial class AlertNoticeRelay(AlertNotifier notifier, ClusterRedis redis, Cluster.ClusterNode node, ILogger<AlertNoticeRelay> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(":alert-notices");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The wire form: the notice and the node it was made on.</summary>
    private sealed record Envelope(string Origin, AlertNotice Notice);

    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (await redis.SubscriberAsync() is not { } subscriber)
        {
            return;
        }

        await subscriber.SubscribeAsync(Channel, (_, value) => OnMessage(value));
        notifier.Published += OnPublished;
    }

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        notifier.Published -= OnPublished;
        await redis.UnsubscribeAsync(Channel);
    }

    private void OnMessage(RedisValue value)
    {
        try
        {
            if (JsonSerializer.Deserialize<Envelope>(value.ToString(), Json) is { } envelope && envelope.Origin != node.Id)
            {
                notifier.RaiseFromPeer(envelope.Notice);
            }
        }
        catch (JsonException e)
        {
            LogBadMessage(logger, e);
        }
    }

    private void OnPublished(AlertNotice notice) => _ = PublishAsync(notice);

    private async Task PublishAsync(AlertNotice notice)
    {
        if (await redis.TryPublishAsync(Channel, JsonSerializer.Serialize(new Envelope(node.Id, notice), Json)) is { } failure)
        {
            LogPublishFailed(logger, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pass an alert notice to the other nodes; a user there sees it at their next notice or page load")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable alert notice from another node")]
    private static partial void LogBadMessage(ILogger logger, Exception exception);
}
