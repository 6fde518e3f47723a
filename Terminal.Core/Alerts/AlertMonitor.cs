using System.Globalization;
using Terminal.Core.Insights;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Core.Alerts;

/// <summary>The market as the alert monitor reads it (the trend engine in the host, a fake in tests).</summary>
public interface IAlertMarket
{
    /// <summary>One entity's row in the ranking of its own platform; null when unknown.</summary>
    TrendItem? Find(EntityKind kind, int id, Period period);

    /// <summary>A ranking (niche scopes read creators and clips of a topic this way).</summary>
    IReadOnlyList<TrendItem> Query(TrendQuery query);
}

/// <summary>Where a stored firing goes next (the owner's toast and hub message, webhooks).</summary>
public interface IAlertSink
{
    Task DeliverAsync(AlertFiring firing, AlertRule rule, CancellationToken cancellationToken);
}

/// <summary>A discrete event of a creator that event kinds (<see cref="AlertKinds.IsEvent"/>) fire on:
/// <paramref name="Key"/> identifies the event (the video id) so a re-polled event does not fire again.</summary>
public sealed record CreatorEvent(AlertKind Kind, int CreatorId, string Key, string Message, DateTime At);

/// <summary>Where event sources (VOD ingestion, live-status polls) report creator events to the alerts.</summary>
public interface IAlertEvents
{
    /// <summary>Fires the matching rules (stored, then delivered); returns the firings.</summary>
    Task<IReadOnlyList<AlertFiring>> PublishAsync(CreatorEvent creatorEvent, CancellationToken cancellationToken = default);
}

/// <summary>Where a linked-account sync reports that it stored posts, so own-post outlier rules
/// (<see cref="AlertKind.OwnPostOutlier"/>) are evaluated where the posts arrive.</summary>
public interface IOwnPostAlerts
{
    /// <summary>Fires the user's own-post outlier rules on the account's posts as stored now; returns the firings.</summary>
    Task<IReadOnlyList<AlertFiring>> PostsSyncedAsync(string userId, long accountId, DateTime at, CancellationToken cancellationToken = default);
}

/// <summary>
/// Evaluates every user's alert rules against the live market (SPEC §11). It is a subscriber of the
/// trend engine — the host calls <see cref="EvaluateAsync"/> after the engine changed, at most a few
/// times a second — and never polls the database for market data: rules and watchlists are cached and
/// reloaded only after <see cref="Invalidate"/>. Each firing is stored, then handed to the sinks.
/// </summary>
/// <param name="ownPosts">Reads the linked accounts' posts for <see cref="AlertKind.OwnPostOutlier"/>; without it those rules never fire.</param>
public sealed class AlertMonitor(IAlertMarket market, IAlertStore store, IWatchlistStore watchlists, IEnumerable<IAlertSink> sinks, IInsightData? ownPosts = null) : IAlertEvents, IOwnPostAlerts, IDisposable
{
    /// <summary>Posts published this long before a sync are judged; older ones only feed baselines (a post
    /// gets its 24 h value at the first sync after it is a day old, so a week leaves room for missed syncs).</summary>
    public static readonly TimeSpan OwnPostWindow = TimeSpan.FromDays(7);

    /// <summary>Earlier posts read before <see cref="OwnPostWindow"/> so its first posts have a baseline (as INSG reads them).</summary>
    public static readonly TimeSpan OwnPostBaselineLookback = TimeSpan.FromDays(30);

    /// <summary>At most this many members of a niche are watched per rule (the top of its ranking).</summary>
    public const int NicheLimit = 500;

    private readonly AlertEvaluator _evaluator = new();
    private readonly SemaphoreSlim _run = new(1, 1);
    private IReadOnlyList<AlertRule>? _rules;
    private Dictionary<long, Watchlist> _lists = [];
    private volatile bool _dirty = true;
    private volatile bool _resume = true;

    /// <summary>Raised when rules or watchlists changed on this node (<see cref="Invalidate"/>), so a relay can
    /// tell the other nodes; not raised for <see cref="InvalidateFromPeer"/>.</summary>
    public event Action? Invalidated;

    /// <summary>Rules or watchlists changed on this node: the next evaluation reloads them.</summary>
    public void Invalidate()
    {
        _dirty = true;
        Invalidated?.Invoke();
    }

    /// <summary>Another node changed rules or watchlists: the next evaluation here reloads them.</summary>
    public void InvalidateFromPeer() => _dirty = true;

    /// <summary>
    /// This node takes over evaluating (it became the market producer): the next evaluation reloads rules and
    /// restores each rule's last firing per entity from the stored firings, as it does when the monitor
    /// starts, so firings made meanwhile by another node (or before a restart) keep their cooldown here.
    /// </summary>
    public void ResumeFromStore()
    {
        _resume = true;
        _dirty = true;
    }

    /// <summary>One pass over every rule; returns the firings it stored.</summary>
    public async Task<IReadOnlyList<AlertFiring>> EvaluateAsync(DateTime now, CancellationToken cancellationToken = default)
    {
        await _run.WaitAsync(cancellationToken);
        try
        {
            await ReloadIfDirtyAsync(now, cancellationToken);
            var fired = new List<AlertFiring>();
            foreach (var rule in _rules!)
            {
                foreach (var item in Members(rule))
                {
                    if (AlertEvaluator.ValueOf(rule.Kind, item.Row) is not { } value)
                    {
                        continue;
                    }

                    var entity = $"{item.Kind.ToWire()}:{item.Row.Id}";
                    if (!_evaluator.Observe(rule, entity, value, now))
                    {
                        continue;
                    }

                    fired.Add(await FireAsync(rule, new NewAlertFiring(rule.Id, rule.UserId, rule.Kind, entity, Message(rule, item.Row, value), value, now), cancellationToken));
                }
            }

            return fired;
        }
        finally
        {
            _run.Release();
        }
    }

    /// <summary>Fires the event kinds whose scope holds the creator: the creator itself, a watchlist
    /// with it, or the niche of its topic. Hysteresis does not apply to an event; the cooldown does.</summary>
    public async Task<IReadOnlyList<AlertFiring>> PublishAsync(CreatorEvent creatorEvent, CancellationToken cancellationToken = default)
    {
        await _run.WaitAsync(cancellationToken);
        try
        {
            await ReloadIfDirtyAsync(creatorEvent.At, cancellationToken);
            var entity = $"{EntityKind.Creator.ToWire()}:{creatorEvent.CreatorId}";
            int? topicId = null;
            var fired = new List<AlertFiring>();
            foreach (var rule in _rules!.Where(r => r.Kind == creatorEvent.Kind))
            {
                var inScope = rule.Scope.Type switch
                {
                    AlertScopeType.Creator => rule.Scope.Id == creatorEvent.CreatorId,
                    AlertScopeType.Watchlist => _lists.TryGetValue(rule.Scope.Id, out var list)
                        && list.Items.Any(i => i.Type == EntityKind.Creator && i.Id == creatorEvent.CreatorId),
                    AlertScopeType.Niche => (topicId ??= market.Find(EntityKind.Creator, creatorEvent.CreatorId, rule.Period)?.TopicId) == (int)rule.Scope.Id,
                    _ => false,
                };
                if (!inScope || !_evaluator.ObserveEvent(rule, entity, creatorEvent.Key, creatorEvent.At))
                {
                    continue;
                }

                fired.Add(await FireAsync(rule, new NewAlertFiring(rule.Id, rule.UserId, rule.Kind, entity, creatorEvent.Message, 1, creatorEvent.At), cancellationToken));
            }

            return fired;
        }
        finally
        {
            _run.Release();
        }
    }

    /// <summary>
    /// Scores the account's posts with the product's outlier definition (<see cref="OutlierScorer"/>: views at
    /// 24 h ÷ the median of the same account's earlier posts at 24 h) and fires each own-post rule of the user
    /// whose scope holds the account on every post of <see cref="OwnPostWindow"/> whose ratio reaches the
    /// rule's threshold and whose interval lies above 1 (it beat the usual beyond the baseline's noise).
    /// A post fires a rule once: the stored firing is the memory, so the next sync — on this node or
    /// another, before or after a restart — does not fire it again. Hysteresis and cooldown do not apply.
    /// </summary>
    public async Task<IReadOnlyList<AlertFiring>> PostsSyncedAsync(string userId, long accountId, DateTime at, CancellationToken cancellationToken = default)
    {
        if (ownPosts is null)
        {
            return [];
        }

        await _run.WaitAsync(cancellationToken);
        try
        {
            await ReloadIfDirtyAsync(at, cancellationToken);
            var rules = _rules!.Where(r => r.UserId == userId && r.Kind == AlertKind.OwnPostOutlier && r.Scope.Type == AlertScopeType.Account
                && (r.Scope.IsAllAccounts || r.Scope.Id == accountId)).ToList();
            if (rules.Count == 0)
            {
                return [];
            }

            var from = at - OwnPostWindow;
            var posts = (await ownPosts.OwnPostsAsync(userId, null, from - OwnPostBaselineLookback, at, InsightMath.DefaultAge, cancellationToken))
                .Where(p => p.CreatorId == accountId).ToList();
            var outliers = OutlierScorer.Score(posts.Select(p => p.Candidate), InsightMath.DefaultAge, from, at);
            var fired = new List<AlertFiring>();
            foreach (var rule in rules)
            {
                foreach (var outlier in outliers.Where(o => o.Ratio >= rule.Threshold && o.Low > 1))
                {
                    if (await store.HasFiredAsync(userId, rule.Id, outlier.Entity, cancellationToken))
                    {
                        continue;
                    }

                    fired.Add(await FireAsync(rule, new NewAlertFiring(rule.Id, userId, rule.Kind, outlier.Entity, OutlierMessage(outlier), outlier.Ratio, at), cancellationToken));
                }
            }

            return fired;
        }
        finally
        {
            _run.Release();
        }
    }

    public void Dispose() => _run.Dispose();

    private static string OutlierMessage(Outlier o) => string.Create(CultureInfo.InvariantCulture,
        $"{o.Title}: {o.Ratio:0.#}× your usual at {o.AgeHours:0} h ({o.Views:0} views vs a median of {o.Baseline:0}; 95% {o.Low:0.#}–{o.High:0.#}×)");

    /// <summary>Stores a firing, then hands it to every sink.</summary>
    private async Task<AlertFiring> FireAsync(AlertRule rule, NewAlertFiring newFiring, CancellationToken cancellationToken)
    {
        var firing = await store.AddFiringAsync(newFiring, cancellationToken);
        foreach (var sink in sinks)
        {
            await sink.DeliverAsync(firing, rule, cancellationToken);
        }

        return firing;
    }

    private async Task ReloadIfDirtyAsync(DateTime now, CancellationToken cancellationToken)
    {
        if (_dirty || _rules is null)
        {
            _dirty = false;
            var resume = _resume;
            _resume = false;
            _rules = await store.AllRulesAsync(cancellationToken);
            _lists = (await watchlists.AllAsync(cancellationToken)).ToDictionary(l => l.List.Id, l => l.List);
            _evaluator.Retain(_rules.Select(r => r.Id).ToHashSet());
            if (resume)
            {
                await SeedFromStoreAsync(now, cancellationToken);
            }
        }
    }

    /// <summary>The evaluator's state lives in memory; the stored firings within each rule's cooldown restore
    /// it (a rule fired and waiting to re-arm), so a restart or a failover does not fire a rule again early.</summary>
    private async Task SeedFromStoreAsync(DateTime now, CancellationToken cancellationToken)
    {
        var rules = _rules!.Where(r => r.Kind != AlertKind.OwnPostOutlier && r.CooldownMinutes > 0).ToDictionary(r => r.Id);
        if (rules.Count == 0)
        {
            return;
        }

        var since = now - TimeSpan.FromMinutes(rules.Values.Max(r => r.CooldownMinutes));
        foreach (var firing in await store.LatestFiringsSinceAsync(since, cancellationToken))
        {
            if (rules.TryGetValue(firing.RuleId, out var rule))
            {
                _evaluator.Seed(rule, firing.Entity, firing.At, now);
            }
        }
    }

    private IEnumerable<(EntityKind Kind, TrendItem Row)> Members(AlertRule rule)
    {
        switch (rule.Scope.Type)
        {
            case AlertScopeType.Account:
                // Own posts are judged when a sync stores them (PostsSyncedAsync), not on market ticks.
                yield break;
            case AlertScopeType.Watchlist:
                if (!_lists.TryGetValue(rule.Scope.Id, out var list))
                {
                    yield break;
                }

                foreach (var member in list.Items)
                {
                    if (Applies(rule.Kind, member.Type) && market.Find(member.Type, member.Id, rule.Period) is { } row)
                    {
                        yield return (member.Type, row);
                    }
                }

                break;
            case AlertScopeType.Niche:
                foreach (var kind in new[] { EntityKind.Creator, EntityKind.Clip })
                {
                    if (!Applies(rule.Kind, kind))
                    {
                        continue;
                    }

                    foreach (var row in market.Query(new TrendQuery(kind, null, rule.Period, NicheLimit)))
                    {
                        if (row.TopicId == (int)rule.Scope.Id)
                        {
                            yield return (kind, row);
                        }
                    }
                }

                break;
            default:
                var entityKind = rule.Scope.EntityKind!.Value;
                if (Applies(rule.Kind, entityKind) && market.Find(entityKind, (int)rule.Scope.Id, rule.Period) is { } one)
                {
                    yield return (entityKind, one);
                }

                break;
        }
    }

    /// <summary>Which entity kinds a rule kind reads (the under-clipped score is a creator's, trending a clip's).</summary>
    public static bool Applies(AlertKind kind, EntityKind entity) => kind switch
    {
        AlertKind.UnderClippedAbove => entity == EntityKind.Creator,
        AlertKind.ClipTrending => entity == EntityKind.Clip,
        AlertKind.NewVod or AlertKind.LiveStart => entity == EntityKind.Creator,
        AlertKind.OwnPostOutlier => false,
        _ => true,
    };

    private static string Message(AlertRule rule, TrendItem row, double value)
    {
        var v = value.ToString("0.##", CultureInfo.InvariantCulture);
        var t = rule.Threshold.ToString("0.##", CultureInfo.InvariantCulture);
        var period = rule.Period.ToWire();
        return rule.Kind switch
        {
            AlertKind.VelocityChangeAbove => $"{row.Name}: velocity Δ {v}% ({period}) rose above {t}%",
            AlertKind.VelocityChangeBelow => $"{row.Name}: velocity Δ {v}% ({period}) fell below {t}%",
            AlertKind.HeatCross => $"{row.Name}: heat {v} ({period}) crossed {t}",
            AlertKind.UnderClippedAbove => $"{row.Name}: under-clipped score {v} ({period}) above {t}",
            AlertKind.ClipTrending => $"{row.Name}: entered the trending set ({period})",
            _ => $"{row.Name}: {v}",
        };
    }
}
