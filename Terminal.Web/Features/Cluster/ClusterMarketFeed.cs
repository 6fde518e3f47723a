using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Web.Features.Cluster;

/// <summary>
/// <see cref="IMarketFeed"/> across nodes (with <c>Terminal:Redis</c>). A batch published on this node
/// goes to this node's subscribers at once (its trend engine ingests it exactly once, in process) and
/// is appended to the Redis stream <see cref="StreamKey"/>, with this node's id; a notification on
/// <see cref="NotifyChannel"/> then wakes the other nodes, which read the stream from the last entry
/// they applied and hand every entry another node wrote to their own subscribers, in stream order.
/// </summary>
/// <remarks>
/// The stream's ids are the sequence: a node that missed a notification, or was cut off from Redis for a
/// while, reads everything after its last id on the next notification or on its own poll
/// (<see cref="PollInterval"/>), so nothing is skipped and nothing is applied twice. The stream keeps
/// about <see cref="MarketClusterOptions.StreamLength"/> batches (hours of the demo's one a second). Every batch
/// is also in the database before it is published (the sources store, then publish), so a node cut off for longer
/// — the stream now starts after the last entry it applied, the ones between were trimmed — loads what it missed
/// from the database (<see cref="IMarketStore.LoadEngineAsync"/> since the last batch it applied) and reads on from
/// the stream's start.
/// </remarks>
public sealed partial class ClusterMarketFeed(
    ClusterRedis redis,
    ClusterNode node,
    MarketStatus status,
    IMarketStore store,
    TrendEngine engine,
    TimeProvider time,
    IOptions<MarketClusterOptions> options,
    ILogger<ClusterMarketFeed> logger) : IMarketFeed, IHostedLifecycleService, IDisposable
{
    public static readonly RedisKey StreamKey = ClusterRedis.ChannelPrefix + ":market-feed";

    /// <summary>The notification channel (ClusterRedis prefixes it with <see cref="ClusterRedis.ChannelPrefix"/>).</summary>
    public static readonly RedisChannel NotifyChannel = RedisChannel.Literal(":market-feed");

    /// <summary>How often a node reads the stream without being woken (a lost notification costs at most this).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const string NodeField = "node";
    private const string DataField = "data";
    private const int ReadBatch = 256;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly InProcessMarketFeed _local = new();
    private readonly Channel<MarketUpdate> _outbox = Channel.CreateUnbounded<MarketUpdate>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private RedisValue _lastId = "0-0";

    /// <summary>The newest batch time this node applied or published: a gap is filled from the database since then.</summary>
    private DateTime _lastAppliedAt = DateTime.MinValue;
    private Task? _writer;
    private Task? _reader;

    /// <summary>Batches from other nodes this node has applied (for tests and logs).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Gaps in the stream (trimmed before this node read them) filled from the database.</summary>
    public long GapsRepaired => Interlocked.Read(ref _gapsRepaired);

    private long _received;
    private long _gapsRepaired;
    private int _stopped;

    public void Publish(MarketUpdate update)
    {
        NoteApplied(update.At);
        _local.Publish(update);
        _outbox.Writer.TryWrite(update);
    }

    public IDisposable Subscribe(Action<MarketUpdate> handler) => _local.Subscribe(handler);

    /// <summary>Before any other hosted service starts (the market sources): follow the stream from its current end.</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var db = (await redis.DatabaseAsync())!;
        var last = await db.StreamRangeAsync(StreamKey, "-", "+", count: 1, messageOrder: Order.Descending);
        if (last.Length > 0)
        {
            _lastId = last[0].Id;
        }

        // The engine is loaded from the database at start (MarketBootstrapper): what the stream holds up to now is in it.
        NoteApplied(time.GetUtcNow().UtcDateTime);

        var subscriber = (await redis.SubscriberAsync())!;
        await subscriber.SubscribeAsync(NotifyChannel, (_, _) => _wake.Writer.TryWrite(true));
        _writer = Task.Run(() => WriteLoopAsync(_stopping.Token), CancellationToken.None);
        _reader = Task.Run(() => ReadLoopAsync(_stopping.Token), CancellationToken.None);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every other hosted service stopped (nothing publishes any more): flush what is queued, then stop.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return; // the test host can stop twice
        }

        _outbox.Writer.TryComplete();
        if (_writer is not null)
        {
            await Task.WhenAny(_writer, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
        }

        await _stopping.CancelAsync();
        try
        {
            if (await redis.SubscriberAsync() is { } subscriber)
            {
                await subscriber.UnsubscribeAsync(NotifyChannel);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Going away anyway.
        }

        foreach (var loop in new[] { _writer, _reader })
        {
            if (loop is not null)
            {
                await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            // Disposed without a stop: end the loops all the same.
            _outbox.Writer.TryComplete();
            _stopping.Cancel();
        }

        _stopping.Dispose();
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var db = (await redis.DatabaseAsync())!;
        var subscriber = (await redis.SubscriberAsync())!;
        await foreach (var update in _outbox.Reader.ReadAllAsync(cancellationToken))
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(update, Json);
            var fields = new NameValueEntry[] { new(NodeField, node.Id), new(DataField, payload) };
            // In order, and retried until Redis takes it: the other nodes must see every batch, once.
            // REVIEW: while Redis is down the queue grows with the batches produced meanwhile (one a second for the demo).
            while (true)
            {
                try
                {
                    var id = await db.StreamAddAsync(StreamKey, fields, maxLength: options.Value.StreamLength, useApproximateMaxLength: true);
                    await subscriber.PublishAsync(NotifyChannel, id);
                    break;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    LogPublishFailed(logger, e);
                    await Task.Delay(PollInterval, cancellationToken);
                }
            }
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var db = (await redis.DatabaseAsync())!;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReadNewAsync(db);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(PollInterval);
                await _wake.Reader.WaitToReadAsync(timeout.Token);
                _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException)
            {
                // the poll interval passed (or the host stops: the loop condition decides)
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogReadFailed(logger, e);
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Applies every entry after the last one applied, in order; this node's own entries were applied when published.</summary>
    private async Task ReadNewAsync(IDatabase db)
    {
        if (_lastId != "0-0")
        {
            var first = await db.StreamRangeAsync(StreamKey, "-", "+", count: 1);
            if (first.Length > 0 && CompareIds(first[0].Id, _lastId) > 0)
            {
                await RepairGapAsync(first[0].Id);
            }
        }

        while (true)
        {
            var entries = await db.StreamRangeAsync(StreamKey, "(" + _lastId, "+", count: ReadBatch);
            foreach (var entry in entries)
            {
                _lastId = entry.Id;
                if (entry[NodeField] == node.Id)
                {
                    continue;
                }

                var update = JsonSerializer.Deserialize<MarketUpdate>((byte[])entry[DataField]!, Json);
                if (update is null)
                {
                    continue;
                }

                NoteApplied(update.At);
                _local.Publish(update);
                Interlocked.Increment(ref _received);
                // The status bar and /health of a node that does not produce follow the producer's ticks.
                status.MarkTick(update.At);
                if (!status.IsDemo && status.State != FeedState.Live)
                {
                    status.SetState(FeedState.Live);
                }
            }

            if (entries.Length < ReadBatch)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The stream starts after the last entry this node applied: the entries between were trimmed unread (the node was
    /// cut off from Redis for longer than the stream's length). What they carried is in the database; the engine takes
    /// it from there (readings since the last batch applied, with a minute's margin for batches stored out of order),
    /// and the node reads on from the stream's start.
    /// </summary>
    private async Task RepairGapAsync(RedisValue firstId)
    {
        var since = _lastAppliedAt - TimeSpan.FromMinutes(1); // set at start, so never unset here
        LogGap(logger, _lastId.ToString(), firstId.ToString(), since);
        var loaded = await store.LoadEngineAsync(engine, time.GetUtcNow().UtcDateTime, _stopping.Token, since);
        _lastId = PredecessorOf(firstId);
        NoteApplied(time.GetUtcNow().UtcDateTime);
        Interlocked.Increment(ref _gapsRepaired);
        LogGapRepaired(logger, loaded);
    }

    private void NoteApplied(DateTime at)
    {
        if (at > _lastAppliedAt)
        {
            _lastAppliedAt = at;
        }
    }

    /// <summary>Orders stream ids (<c>ms-seq</c>).</summary>
    internal static int CompareIds(RedisValue a, RedisValue b) => ParseId(a).CompareTo(ParseId(b));

    /// <summary>The id just before <paramref name="id"/>, so that the next exclusive range read starts at <paramref name="id"/> itself.</summary>
    private static RedisValue PredecessorOf(RedisValue id)
    {
        var (ms, seq) = ParseId(id);
        return seq > 0 ? $"{ms}-{seq - 1}" : $"{ms - 1}-{long.MaxValue}";
    }

    private static (long Ms, long Seq) ParseId(RedisValue id)
    {
        var text = (string)id!;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? (long.Parse(text, System.Globalization.CultureInfo.InvariantCulture), 0)
            : (long.Parse(text.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture), long.Parse(text.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The market stream was trimmed past this node's last batch (last applied {LastId}, the stream starts at {FirstId}): loading the readings since {Since} from the database")]
    private static partial void LogGap(ILogger logger, string lastId, string firstId, DateTime since);

    [LoggerMessage(Level = LogLevel.Information, Message = "Market gap filled from the database: {Loaded} readings")]
    private static partial void LogGapRepaired(ILogger logger, int loaded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a market batch on Redis; retrying")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the market stream from Redis; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
