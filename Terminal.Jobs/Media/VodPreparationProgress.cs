using System.Collections.Concurrent;

namespace Terminal.Jobs.Media;

/// <summary>Where a VOD's preparation is: its stage, the fraction done (0–1) and, once it moves, an estimate of the time left.</summary>
public sealed record VodPreparationState(string Stage, double Fraction, DateTime StartedAt, TimeSpan? Remaining);

/// <summary>
/// Live progress of VOD preparations (issue #16: "VOD preparation shows real progress and an
/// estimate"). The preparation reports stages and ffmpeg's own progress here; the desk reads it while it
/// waits. The estimate is the elapsed time scaled by what is left: <c>elapsed × (1 − f) / f</c>.
/// In memory, per node: the node that prepares is the node whose queue holds the VOD.
/// </summary>
public sealed class VodPreparationProgress(TimeProvider time)
{
    /// <summary>Share of the whole preparation a demo file's generation takes (the probe and thumbnails are the rest).</summary>
    public const double GenerationShare = 0.85;

    private readonly ConcurrentDictionary<Guid, VodPreparationState> _states = new();

    /// <summary>The VOD's preparation began (or moved to <paramref name="stage"/> at <paramref name="fraction"/>).</summary>
    public void Report(Guid vodId, string stage, double fraction)
    {
        var now = time.GetUtcNow().UtcDateTime;
        fraction = Math.Clamp(fraction, 0, 1);
        _states.AddOrUpdate(
            vodId,
            _ => new VodPreparationState(stage, fraction, now, null),
            (_, old) => new VodPreparationState(stage, Math.Max(old.Fraction, fraction), old.StartedAt, Estimate(now - old.StartedAt, Math.Max(old.Fraction, fraction))));
    }

    /// <summary>The preparation ended (ready or failed): nothing to show any more.</summary>
    public void Finish(Guid vodId) => _states.TryRemove(vodId, out _);

    public VodPreparationState? Get(Guid vodId) => _states.TryGetValue(vodId, out var state) ? state : null;

    /// <summary><c>elapsed × (1 − f) / f</c>; none before the first 1 % (too early to say).</summary>
    public static TimeSpan? Estimate(TimeSpan elapsed, double fraction) =>
        fraction < 0.01 ? null : fraction >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling(elapsed.TotalSeconds * (1 - fraction) / fraction));
}
