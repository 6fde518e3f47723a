using System.Text.RegularExpressions;

namespace Terminal.Core.MarketSources;

/// <summary>A creator a clip may be of: its market id, its handle (without @) and its channel id.</summary>
public sealed record AttributionCandidate(int CreatorId, string Handle, string ChannelId);

/// <summary>
/// Which creator a clipper's upload is of (SPEC §9). In order: the creator's <c>@handle</c> or channel
/// URL named in the title or description (the most specific evidence); else the admin's mapping when it
/// names exactly one creator. The reason is kept with the clip so that every attribution can be checked.
/// </summary>
public static partial class ClipAttribution
{
    public static (int? CreatorId, string Reason) Attribute(
        string title, string? description, IReadOnlyList<int> mappedCreatorIds, IReadOnlyList<AttributionCandidate> candidates)
    {
        var text = title + "\n" + (description ?? "");
        foreach (var c in candidates)
        {
            if (c.ChannelId.Length > 0 && text.Contains("/channel/" + c.ChannelId, StringComparison.OrdinalIgnoreCase))
            {
                return (c.CreatorId, $"channel URL of {c.ChannelId} in the text");
            }
        }

        var mentioned = Mentions().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var byHandle = candidates.Where(c => mentioned.Contains(c.Handle.TrimStart('@'))).ToList();
        if (byHandle.Count == 1)
        {
            return (byHandle[0].CreatorId, $"@{byHandle[0].Handle.TrimStart('@')} in the text");
        }

        if (byHandle.Count > 1)
        {
            var mappedMention = byHandle.Where(c => mappedCreatorIds.Contains(c.CreatorId)).ToList();
            if (mappedMention.Count == 1)
            {
                return (mappedMention[0].CreatorId, $"@{mappedMention[0].Handle.TrimStart('@')} in the text (mapped)");
            }

            return (null, "several creators named in the text");
        }

        return mappedCreatorIds.Count == 1
            ? (mappedCreatorIds[0], "clipper mapping")
            : (null, mappedCreatorIds.Count == 0 ? "no creator named and no mapping" : "mapping names several creators and the text none");
    }

    // A handle: @ then letters, digits, '.', '_' or '-' (YouTube handles), not preceded by a word character (e-mails).
    [GeneratedRegex(@"(?<![\w.])@([A-Za-z0-9._-]{3,30})", RegexOptions.CultureInvariant)]
    private static partial Regex Mentions();
}
