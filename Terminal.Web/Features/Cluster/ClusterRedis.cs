using StackExchange.Redis;

namespace Terminal.Web.Features.Cluster;

/// <summary>
/// The node's own connection to the Redis of <c>Terminal:Redis</c>, for messages between nodes that are
/// not hub messages (cache invalidations). The SignalR backplane keeps its own connection. Without
/// Redis configured <see cref="IsEnabled"/> is false: a single node needs no messages.
/// </summary>
public sealed class ClusterRedis : IAsyncDisposable
{
    /// <summary>Every channel of the app starts with this (the backplane uses the same prefix).</summary>
    public const string ChannelPrefix = "clip-terminal";

    private readonly Lazy<Task<ConnectionMultiplexer>>? _connection;

    public ClusterRedis(IConfiguration configuration)
    {
        var redis = configuration["Terminal:Redis"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            // AbortOnConnectFail=false: a node that starts while Redis is briefly down keeps retrying instead of failing.
            var options = ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false;
            options.ChannelPrefix = RedisChannel.Literal(ChannelPrefix);
            _connection = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(options));
        }
    }

    public bool IsEnabled => _connection is not null;

    /// <summary>The pub/sub side of the shared connection, or null on a single node.</summary>
    public async Task<ISubscriber?> SubscriberAsync() =>
        _connection is null ? null : (await _connection.Value).GetSubscriber();

    /// <summary>The key-value side of the shared connection (streams), or null on a single node.</summary>
    public async Task<IDatabase?> DatabaseAsync() =>
        _connection is null ? null : (await _connection.Value).GetDatabase();

    /// <summary>
    /// Publishes <paramref name="message"/> to the other nodes. Pub/sub is at-most-once, so a failure is handed back
    /// (null: sent, or a single node) for the caller to log what the other nodes miss; it is never thrown.
    /// </summary>
    public async Task<Exception?> TryPublishAsync(RedisChannel channel, RedisValue message)
    {
        try
        {
            if (await SubscriberAsync() is { } subscriber)
            {
                await subscriber.PublishAsync(channel, message);
            }

            return null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return e;
        }
    }

    /// <summary>Stops this node's subscription to <paramref name="channel"/> (nothing on a single node).</summary>
    public async Task UnsubscribeAsync(RedisChannel channel)
    {
        if (IsEnabled && await SubscriberAsync() is { } subscriber)
        {
            await subscriber.UnsubscribeAsync(channel);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { IsValueCreated: true })
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
