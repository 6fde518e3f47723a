using Microsoft.Extensions.Options;
using Terminal.Core.Cluster;
using Terminal.Core.Market;

namespace Terminal.Web.Features.Cluster;

/// <summary>
/// Elects the one node that produces the market (<see cref="IMarketProducer"/>) with the database lease
/// <see cref="LeaseName"/>: every node tries to take or renew it every third of
/// <see cref="MarketClusterOptions.ProducerLeaseSeconds"/>; the holder produces, the others ingest what it
/// publishes. A producer that dies stops renewing and another node takes over once the lease expired; a
/// node that stops cleanly releases it so the next one takes over at its next try.
/// </summary>
/// <remarks>
/// A node trusts its lease only until a third of the lease before it expires (counted from when it asked),
/// so a renewal that is slow or fails makes it stop producing before another node may take over: two
/// producers never overlap, at the price of a short pause.
/// </remarks>
public sealed partial class MarketProducerElection(
    ILeases leases,
    ClusterNode node,
    IOptions<MarketClusterOptions> options,
    TimeProvider time,
    ILogger<MarketProducerElection> logger) : BackgroundService, IMarketProducer
{
    public const string LeaseName = "market-producer";

    private long _trustedUntil;
    private long _term;
    private bool _wasProducer;

    public bool IsProducer => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _trustedUntil);

    public long Term => Interlocked.Read(ref _term);

    public bool HasPeers => true;

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.ProducerLeaseSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = Lease / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            await TryOnceAsync(stoppingToken);
            try
            {
                await Task.Delay(every, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One election round: takes or renews the lease, or learns that another node holds it.</summary>
    internal async Task TryOnceAsync(CancellationToken cancellationToken)
    {
        var asked = time.GetUtcNow().UtcTicks;
        bool held;
        try
        {
            held = await leases.TryAcquireAsync(LeaseName, node.Id, Lease, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            LogRenewFailed(logger, e);
            held = false;
        }

        if (held)
        {
            Interlocked.Exchange(ref _trustedUntil, asked + (Lease - (Lease / 3)).Ticks);
            if (!_wasProducer)
            {
                // A new term first, then producing: the DEMO model catches up with the database before it steps.
                Interlocked.Increment(ref _term);
                _wasProducer = true;
                LogBecameProducer(logger, node.Id, Term);
            }
        }
        else
        {
            Interlocked.Exchange(ref _trustedUntil, 0);
            if (_wasProducer)
            {
                _wasProducer = false;
                LogLostProducer(logger, node.Id);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_wasProducer)
        {
            Interlocked.Exchange(ref _trustedUntil, 0);
            _wasProducer = false;
            try
            {
                await leases.ReleaseAsync(LeaseName, node.Id, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The lease then expires by itself.
                LogRenewFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} now produces the market (term {Term})")]
    private static partial void LogBecameProducer(ILogger logger, string node, long term);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} no longer produces the market")]
    private static partial void LogLostProducer(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not take or renew the market producer lease")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
