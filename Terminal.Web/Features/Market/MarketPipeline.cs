using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Web.Features.Market;

/// <summary>
/// The live market pipeline, wired in one place: market feed → trend engine → trend ticker → hub
/// broadcaster. Connected when the host starts, disconnected when it stops; none of the parts subscribes
/// to another by itself.
/// </summary>
/// <remarks>
/// It connects in <see cref="StartingAsync"/>, which the host runs before any hosted service's
/// <c>StartAsync</c>, so the feed is already followed when the market sources (the bootstrapper, the demo
/// tick job) start, whatever the order of registration.
/// </remarks>
public sealed class MarketPipeline(
    IMarketFeed feed,
    TrendEngine engine,
    TrendTicker ticker,
    MarketHubBroadcaster broadcaster,
    ILogger<MarketPipeline> logger) : IHostedLifecycleService
{
    private readonly Lock _gate = new();
    private IDisposable? _feedSubscription;
    private Action? _onEngineChanged;

    /// <summary>True while the parts are connected.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _feedSubscription is not null;
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Connect();
        return Task.CompletedTask;
    }

    /// <summary>Connects too (idempotent), for hosts or tests that call only <c>StartAsync</c>.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Connect();
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Disconnect();
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Connect()
    {
        lock (_gate)
        {
            if (_feedSubscription is not null)
            {
                return;
            }

            broadcaster.Open();
            _onEngineChanged = ticker.OnMarketChanged;
            engine.Changed += _onEngineChanged;
            _feedSubscription = feed.Subscribe(engine.Ingest);
        }

        logger.LogInformation("Market pipeline connected: feed → trend engine → ticker → hub");
    }

    private void Disconnect()
    {
        lock (_gate)
        {
            if (_feedSubscription is null)
            {
                return;
            }

            // Upstream first, so nothing new flows into a part already cut off.
            _feedSubscription.Dispose();
            _feedSubscription = null;
            engine.Changed -= _onEngineChanged;
            _onEngineChanged = null;
            broadcaster.Close();
        }

        logger.LogInformation("Market pipeline disconnected");
    }
}
