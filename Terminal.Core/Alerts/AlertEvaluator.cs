using Terminal.Core.Trends;

namespace Terminal.Core.Alerts;

/// <summary>
/// Decides when a rule fires for one entity, with hysteresis and a cooldown, so that a value hovering
/// at the threshold fires once (SPEC §11).
/// </summary>
/// <remarks>
/// Per (rule, entity) the evaluator is <em>armed</em> or not. Armed, a value that meets the condition
/// (at or above the threshold for the "above"/"cross" kinds, at or below it for "below") fires and
/// disarms. It re-arms only once the value has gone back past the threshold by the hysteresis band
/// (<see cref="Band"/>: 5 % of the threshold's size, at least 1 point; for the trending flag, leaving the
/// trending set). Armed or not, nothing fires within the rule's cooldown after its last firing for
/// that entity. A rule starts armed: an entity already past the threshold when the rule is first
/// evaluated fires once, then behaves as above. Thread-safe.
/// </remarks>
public sealed class AlertEvaluator
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(long RuleId, string Entity), State> _states = [];

    /// <summary>The rule's reading of a trend row: null when the row does not carry the quantity.</summary>
    public static double? ValueOf(AlertKind kind, TrendItem item) => kind switch
    {
        AlertKind.VelocityChangeAbove or AlertKind.VelocityChangeBelow => item.Change * 100,
        AlertKind.HeatCross => item.Heat,
        AlertKind.UnderClippedAbove => item.UnderClippedScore,
        AlertKind.ClipTrending => item.Trending ? 1 : 0,
        _ => null,
    };

    /// <summary>The threshold a rule is evaluated against (the trending flag ignores the stored one).</summary>
    public static double EffectiveThreshold(AlertRule rule) => rule.Kind == AlertKind.ClipTrending ? 0.5 : rule.Threshold;

    /// <summary>How far past the threshold a value must go back before the rule re-arms.</summary>
    public static double Band(AlertRule rule) => rule.Kind == AlertKind.ClipTrending ? 0.5 : Math.Max(1, Math.Abs(rule.Threshold) * 0.05);

    /// <summary>Feeds one reading; true when the rule fires for this entity now.</summary>
    public bool Observe(AlertRule rule, string entity, double value, DateTime now)
    {
        if (double.IsNaN(value))
        {
            return false;
        }

        var threshold = EffectiveThreshold(rule);
        var band = Band(rule);
        var below = rule.Kind == AlertKind.VelocityChangeBelow;
        var met = below ? value <= threshold : value >= threshold;
        var rearm = below ? value >= threshold + band : value <= threshold - band;
        lock (_gate)
        {
            if (!_states.TryGetValue((rule.Id, entity), out var state))
            {
                _states[(rule.Id, entity)] = state = new State { Armed = true };
            }

            if (!state.Armed)
            {
                if (rearm)
                {
                    state.Armed = true;
                }

                return false;
            }

            if (!met)
            {
                return false;
            }

            if (state.LastFiredAt is { } last && now - last < TimeSpan.FromMinutes(rule.CooldownMinutes))
            {
                return false;
            }

            state.Armed = false;
            state.LastFiredAt = now;
            return true;
        }
    }

    /// <summary>Feeds one discrete event (<paramref name="key"/>: the video id); true when the rule fires.
    /// The same event fires at most once per rule, and nothing fires within the rule's cooldown after
    /// its last firing for that entity (a creator who restarts a stream twice in a minute fires once).</summary>
    public bool ObserveEvent(AlertRule rule, string entity, string key, DateTime now)
    {
        lock (_gate)
        {
            if (!_states.TryGetValue((rule.Id, entity), out var state))
            {
                _states[(rule.Id, entity)] = state = new State { Armed = true };
            }

            if (!state.SeenEvents.Add(key))
            {
                return false;
            }

            if (state.LastFiredAt is { } last && now - last < TimeSpan.FromMinutes(rule.CooldownMinutes))
            {
                return false;
            }

            state.LastFiredAt = now;
            return true;
        }
    }

    /// <summary>
    /// Restores what a stored firing of the rule for the entity implies (after a restart, or on a node that
    /// becomes the evaluator): its time is the last firing unless a later one is known here, and a firing
    /// still within the rule's cooldown at <paramref name="now"/> leaves the rule fired and waiting to re-arm,
    /// so a value still past the threshold does not fire again.
    /// </summary>
    public void Seed(AlertRule rule, string entity, DateTime firedAt, DateTime now)
    {
        lock (_gate)
        {
            if (!_states.TryGetValue((rule.Id, entity), out var state))
            {
                _states[(rule.Id, entity)] = state = new State { Armed = true };
            }

            if (state.LastFiredAt is { } known && known >= firedAt)
            {
                return;
            }

            state.LastFiredAt = firedAt;
            if (now - firedAt < TimeSpan.FromMinutes(rule.CooldownMinutes))
            {
                state.Armed = false;
            }
        }
    }

    /// <summary>Forgets the state of rules that no longer exist.</summary>
    public void Retain(IReadOnlySet<long> ruleIds)
    {
        lock (_gate)
        {
            foreach (var key in _states.Keys.Where(k => !ruleIds.Contains(k.RuleId)).ToList())
            {
                _states.Remove(key);
            }
        }
    }

    private sealed class State
    {
        public bool Armed { get; set; }

        public DateTime? LastFiredAt { get; set; }

        public HashSet<string> SeenEvents { get; } = [];
    }
}
