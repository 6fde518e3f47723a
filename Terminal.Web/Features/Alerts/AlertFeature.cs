using Microsoft.AspNetCore.SignalR;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Web.Features.Market;

namespace Terminal.Web.Features.Alerts;

/// <summary>SPEC §11 hub message <c>Alert {id,ruleId,kind,entity,message,at}</c>.</summary>
public sealed record AlertMessage(long Id, long RuleId, string Kind, string Entity, string Message, DateTime At);

/// <summary>What the shell's toast and unread counter of one user learn: a firing (null for a count change
/// alone, an ack) and the user's unacknowledged count after it.</summary>
public sealed record AlertNotice(string UserId, AlertMessage? Fired, int Unread);

/// <summary>
/// Tells the owner — and only the owner — about a firing: the hub message to their connections
/// (<c>Clients.User</c>, which reaches every node through the SignalR backplane) and in-process events the
/// shell's toast and unread counter listen to. Alerts are evaluated on one node and acknowledged on any,
/// so with several nodes <see cref="AlertNoticeRelay"/> carries each notice made here
/// (<see cref="Published"/>) to the other nodes, which raise it through <see cref="RaiseFromPeer"/>.
/// </summary>
public sealed class AlertNotifier(IHubContext<MarketHub> hub, IAlertStore store, ILogger<AlertNotifier> logger) : IAlertSink
{
    public const string HubMethod = "Alert";

    /// <summary>A firing for a user (toast channel), made on this node or another.</summary>
    public event Action<string, AlertMessage>? Fired;

    /// <summary>A user's unread count changed, on this node or another.</summary>
    public event Action<string, int>? UnreadChanged;

    /// <summary>A notice made on this node (not one relayed from a peer), for the relay to pass on.</summary>
    public event Action<AlertNotice>? Published;

    public async Task DeliverAsync(AlertFiring firing, AlertRule rule, CancellationToken cancellationToken)
    {
        var message = new AlertMessage(firing.Id, firing.RuleId, firing.Kind.ToWire(), firing.Entity, firing.Message, firing.At);
        var toast = rule.Channels.HasFlag(AlertChannels.Toast);
        if (toast)
        {
            try
            {
                await hub.Clients.User(firing.UserId).SendAsync(HubMethod, message, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Hub delivery of alert {FiringId} failed", firing.Id);
            }
        }

        Publish(new AlertNotice(firing.UserId, toast ? message : null, await store.UnacknowledgedCountAsync(firing.UserId, cancellationToken)));
    }

    /// <summary>The user's unread count changed on this node (an acknowledgement).</summary>
    public void PublishUnread(string userId, int unread) => Publish(new AlertNotice(userId, null, unread));

    /// <summary>A notice another node made: raised here for this node's circuits, not passed on again.</summary>
    public void RaiseFromPeer(AlertNotice notice) => Raise(notice);

    private void Publish(AlertNotice notice)
    {
        Raise(notice);
        Published?.Invoke(notice);
    }

    private void Raise(AlertNotice notice)
    {
        if (notice.Fired is { } message)
        {
            Fired?.Invoke(notice.UserId, message);
        }

        UnreadChanged?.Invoke(notice.UserId, notice.Unread);
    }
}

/// <summary>The trend engine as the alert monitor reads it.</summary>
public sealed class EngineAlertMarket(TrendEngine engine) : IAlertMarket
{
    public TrendItem? Find(EntityKind kind, int id, Period period) => engine.Find(kind, id, period);

    public IReadOnlyList<TrendItem> Query(TrendQuery query) => engine.Query(query).Data;
}

/// <summary>
/// Subscribes the alert monitor to the trend engine the way the ticker is (its <c>Changed</c> event),
/// coalescing bursts: one evaluation at most every <see cref="TrendTicker.MinInterval"/>, so a crossing
/// is seen within one tick. Evaluations run off the engine's thread, one at a time.
/// With several nodes every engine holds the same market, so only the market producer evaluates: a
/// crossing fires once, not once per node (the rules reach it through <see cref="AlertRulesRelay"/>).
/// </summary>
public sealed class AlertEngineSubscription(TrendEngine engine, AlertMonitor monitor, IMarketProducer producer, TimeProvider time, ILogger<AlertEngineSubscription> logger) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _scheduled;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private bool _wasProducer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => _ = RunAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        engine.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        engine.Changed -= OnChanged;
        if (Volatile.Read(ref _disposed) == 0)
        {
            // The host may stop a service it has already disposed (a factory disposed twice): nothing left to cancel then.
            return _stopping.CancelAsync();
        }

        return Task.CompletedTask;
    }

    private void OnChanged()
    {
        lock (_gate)
        {
            if (_scheduled)
            {
                return;
            }

            _scheduled = true;
            _timer?.Change(TrendTicker.MinInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task RunAsync()
    {
        lock (_gate)
        {
            _scheduled = false;
        }

        if (!producer.IsProducer)
        {
            _wasProducer = false;
            return;
        }

        if (!_wasProducer)
        {
            // Taking over from another node (or after a restart): its firings keep their cooldown here.
            _wasProducer = true;
            monitor.ResumeFromStore();
        }

        try
        {
            await monitor.EvaluateAsync(time.GetUtcNow().UtcDateTime, _stopping.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Alert evaluation failed");
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        engine.Changed -= OnChanged;
        _timer?.Dispose();
        _stopping.Dispose();
    }
}

/// <summary>Watchlists and alerts (SPEC §11).</summary>
public static class AlertFeature
{
    public static IHostApplicationBuilder AddAlertsFeature(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IAlertMarket, EngineAlertMarket>();
        services.AddSingleton<AlertNotifier>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton(sp => new AlertMonitor(
            sp.GetRequiredService<IAlertMarket>(),
            sp.GetRequiredService<IAlertStore>(),
            sp.GetRequiredService<IWatchlistStore>(),
            [sp.GetRequiredService<AlertNotifier>(), sp.GetRequiredService<WebhookDispatcher>()],
            sp.GetRequiredService<Terminal.Core.Insights.IInsightData>()));
        services.AddSingleton<IAlertEvents>(sp => sp.GetRequiredService<AlertMonitor>());
        services.AddSingleton<IOwnPostAlerts>(sp => sp.GetRequiredService<AlertMonitor>());
        services.AddSingleton<WebhookUrlGuard>();
        services.AddSingleton<AlertService>();
        services.AddSingleton<Terminal.Web.Features.Watchlists.WatchlistEditor>();
        services.AddHostedService<AlertEngineSubscription>();
        services.AddHostedService<AlertRulesRelay>();
        services.AddHostedService<AlertNoticeRelay>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAlertsFeature(this IEndpointRouteBuilder app) => app.MapAlertEndpoints();
}
