using System.Globalization;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Core.Trends;

namespace Terminal.Web.Features.Alerts;

/// <summary>A scope the rule form can send (<c>creator:12</c>), its entity's name and what tells
/// like-named entities apart (handle and platform).</summary>
public sealed record ScopeOption(string Scope, string Name, string? Detail = null)
{
    public string Label => Detail is null ? Name : $"{Name} · {Detail}";
}

/// <summary>ALRT's rule form: which scopes fit a kind, how they are labelled, and the names of the rules' scopes.</summary>
public sealed partial class AlrtPage
{
    /// <summary>How many matches the scope search offers.</summary>
    internal const int SearchLimit = 20;

    /// <summary>The scope types that fit a kind: the entity kinds the monitor evaluates it on
    /// (<see cref="AlertMonitor.Applies"/>), then a niche's members and a watchlist, which hold such entities.</summary>
    internal static IReadOnlyList<AlertScopeType> ScopeTypesFor(AlertKind kind)
    {
        if (kind == AlertKind.OwnPostOutlier)
        {
            return [AlertScopeType.Account];
        }

        var types = new List<AlertScopeType>();
        foreach (var (type, entity) in new[] { (AlertScopeType.Creator, EntityKind.Creator), (AlertScopeType.Clip, EntityKind.Clip), (AlertScopeType.Topic, EntityKind.Topic) })
        {
            if (AlertMonitor.Applies(kind, entity))
            {
                types.Add(type);
            }
        }

        types.Add(AlertScopeType.Niche);
        types.Add(AlertScopeType.Watchlist);
        return types;
    }

    /// <summary>What a kind watches, in words: the kind select shows it after the wire name the API and the rule list use.</summary>
    internal static string KindMeaning(string wire) => AlertKinds.TryParse(wire, out var kind) ? kind.Value switch
    {
        AlertKind.VelocityChangeAbove => "velocity Δ% rises above",
        AlertKind.VelocityChangeBelow => "velocity Δ% falls below",
        AlertKind.HeatCross => "heat rises past a level",
        AlertKind.UnderClippedAbove => "under-clipped score above",
        AlertKind.ClipTrending => "a clip enters trending",
        AlertKind.NewVod => "a creator posts a new VOD",
        AlertKind.LiveStart => "a creator goes live",
        AlertKind.OwnPostOutlier => "one of your posts is an outlier",
        _ => wire,
    } : wire;

    /// <summary>What the scope-type select shows for a type (its wire name first, so the API's scope strings stay familiar).</summary>
    internal static string ScopeTypeLabel(AlertScopeType type) => type switch
    {
        AlertScopeType.Creator => "creator",
        AlertScopeType.Clip => "clip",
        AlertScopeType.Topic => "topic · a niche's own numbers",
        AlertScopeType.Niche => "niche · each creator/clip in it",
        AlertScopeType.Watchlist => "watchlist · its members",
        AlertScopeType.Account => "account · your linked accounts",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>The short name a rule's scope type has in the rule list.</summary>
    internal static string ScopeTypeShort(AlertScopeType type) => type switch
    {
        AlertScopeType.Topic => "topic",
        AlertScopeType.Niche => "niche",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>Kinds whose threshold means something (clip_trending, new_vod and live_start fire on an event).</summary>
    internal static bool UsesThreshold(AlertKind kind) => kind != AlertKind.ClipTrending && !kind.IsEvent();

    /// <summary>Kinds read over a trend window (events and own-post outliers are not).</summary>
    internal static bool UsesPeriod(AlertKind kind) => !kind.IsEvent() && kind != AlertKind.OwnPostOutlier;

    /// <summary>The autocomplete's matches for the current scope type: creators by handle or name, clips of the
    /// ranking by title, niches by name. Nothing is invented: every option is a stored market entity.</summary>
    private async Task<IEnumerable<ScopeOption>> SearchScopeAsync(string? text, CancellationToken cancellationToken)
    {
        var search = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        switch (_scopeType)
        {
            case AlertScopeType.Creator:
                var creators = await Queries.SearchCreatorsAsync(search, SearchLimit, cancellationToken);
                return creators.Select(c => new ScopeOption($"creator:{c.Id}", c.DisplayName, $"@{c.Handle} · {c.Platform.ToWire()}"));
            case AlertScopeType.Clip:
                var clips = Reader.Query(new TrendQuery(EntityKind.Clip, null, Period.Month, SearchLimit, null, search));
                return clips.Data.Select(c => new ScopeOption($"clip:{c.Id}", c.Name, c.Platform?.ToWire()));
            case AlertScopeType.Topic or AlertScopeType.Niche:
                var prefix = _scopeType == AlertScopeType.Topic ? "topic" : "niche";
                return (await TopicsAsync(cancellationToken))
                    .Where(t => search is null || t.Value.Contains(search, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(t => t.Value, StringComparer.OrdinalIgnoreCase)
                    .Take(SearchLimit)
                    .Select(t => new ScopeOption(FormattableString.Invariant($"{prefix}:{t.Key}"), t.Value));
            default:
                return [];
        }
    }

    private Dictionary<int, string>? _topicNames;

    private async Task<IReadOnlyDictionary<int, string>> TopicsAsync(CancellationToken cancellationToken)
    {
        _topicNames ??= (await Queries.GetTopicsAsync(cancellationToken)).ToDictionary(t => t.Id, t => t.Name);
        return _topicNames;
    }

    /// <summary>Names of market scopes already looked up (creators, clips, niches), by scope string.</summary>
    private readonly Dictionary<string, string> _scopeNames = new(StringComparer.Ordinal);

    /// <summary>The rule list's scope cell: <c>creator · MrBeast</c> where the name is known, the scope string otherwise.</summary>
    internal string ScopeDisplay(AlertScope scope)
    {
        var type = ScopeTypeShort(scope.Type);
        var name = scope.Type switch
        {
            AlertScopeType.Watchlist => _watchlists.FirstOrDefault(w => w.Id == scope.Id)?.Name,
            AlertScopeType.Account when scope.IsAllAccounts => "all own accounts",
            AlertScopeType.Account => _accounts.FirstOrDefault(a => a.Id == scope.Id) is { } a ? $"{a.Platform.ToWire()} · {a.DisplayName ?? a.ExternalId ?? $"#{a.Id}"}" : null,
            _ => _scopeNames.GetValueOrDefault(scope.ToString()),
        };
        return name is null ? scope.ToString() : $"{type} · {name}";
    }

    /// <summary>Looks up the names of the rules' market scopes not yet known (a name the user picked is kept as picked).</summary>
    private async Task ResolveScopeNamesAsync(CancellationToken cancellationToken)
    {
        foreach (var scope in _rules.Select(r => r.Scope).DistinctBy(s => s.ToString()))
        {
            var key = scope.ToString();
            if (_scopeNames.ContainsKey(key))
            {
                continue;
            }

            var id = (int)scope.Id;
            string? name = scope.Type switch
            {
                AlertScopeType.Creator => (await Queries.FindCreatorAsync(id.ToString(CultureInfo.InvariantCulture), cancellationToken)) is { } c && c.Id == id ? c.DisplayName : null,
                AlertScopeType.Topic or AlertScopeType.Niche => (await TopicsAsync(cancellationToken)).GetValueOrDefault(id),
                AlertScopeType.Clip => Reader.Query(new TrendQuery(EntityKind.Clip, null, Period.Month, 1) { Ids = new HashSet<int> { id } }).Data.FirstOrDefault(i => i.Id == id)?.Name,
                _ => null,
            };
            if (name is not null)
            {
                _scopeNames[key] = name;
            }
        }
    }
}
