using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;
using Terminal.Web.Features.Cluster;

namespace Terminal.Web.Features.Billing;

/// <summary>
/// The node's memory of recognised API keys (by hash), so the external API's hot path stays off the
/// database. An eviction (a key revoked, its owner's plan changed) removes the entries here and, with
/// <c>Terminal:Redis</c> set, is published so every other node removes them too, at once.
/// The lifetime stays as a backstop: Redis pub/sub is at-most-once (a node disconnected from Redis
/// during an eviction misses it and serves the stale entry for at most that long).
/// </summary>
public sealed partial class ApiKeyRecognitionCache(IMemoryCache cache, ClusterRedis redis, ILogger<ApiKeyRecognitionCache> logger)
    : IHostedService
{
    /// <summary>How long a recognised key is trusted without reading the database.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private static readonly RedisChannel Channel = RedisChannel.Literal(":api-key-evictions");

    public bool TryGet(string hash, out ApiKeyOwner? owner) => cache.TryGetValue(Key(hash), out owner);

    public void Set(string hash, ApiKeyOwner owner) => cache.Set(Key(hash), owner, Lifetime);

    /// <summary>Forgets the keys on this node, then tells the other nodes (best effort: see the class notes).</summary>
    public async Task EvictAsync(IReadOnlyCollection<string> hashes)
    {
        if (hashes.Count == 0)
        {
            return;
        }

        RemoveLocally(hashes);
        if (await redis.TryPublishAsync(Channel, string.Join('\n', hashes)) is { } failure)
        {
            LogPublishFailed(logger, failure, hashes.Count);
        }
    }

    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (await redis.SubscriberAsync() is { } subscriber)
        {
            // The publishing node receives its own message too; removing twice is harmless.
            await subscriber.SubscribeAsync(Channel, (_, message) => RemoveLocally(((string?)message ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }
    }

    async Task IHostedService.StopAsync(CancellationToken cancellationToken) => await redis.UnsubscribeAsync(Channel);

    private void RemoveLocally(IEnumerable<string> hashes)
    {
        foreach (var hash in hashes)
        {
            cache.Remove(Key(hash));
        }
    }

    private static string Key(string hash) => "api-key:" + hash;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other nodes to forget {Count} API key(s); they expire there within the cache lifetime")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int count);
}
