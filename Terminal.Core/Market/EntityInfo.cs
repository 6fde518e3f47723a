namespace Terminal.Core.Market;

/// <summary>
/// What the trend engine needs to know about an entity besides its snapshots: its name, platform and
/// topic, and for clips who posted it, of whom, when, and from which VOD.
/// </summary>
/// <param name="Platform">Null for topics (they span platforms).</param>
/// <param name="TopicId">The entity's niche; for a topic, its own id.</param>
/// <param name="CreatorId">Clips: the creator the clip is of.</param>
/// <param name="ClipperId">Clips: the account that posted it.</param>
/// <param name="PublishedAt">Clips: publication instant (recency, clipper counts).</param>
/// <param name="VodId">Clips: the source VOD when known (VOD trending marker).</param>
/// <param name="IsDemo">True for the simulated DEMO market; false for real platform data (SPEC §9).</param>
public sealed record EntityInfo(
    EntityKind Kind,
    int Id,
    string Name,
    Platform? Platform,
    int? TopicId,
    int? CreatorId = null,
    int? ClipperId = null,
    DateTime? PublishedAt = null,
    Guid? VodId = null,
    bool IsDemo = false)
{
    /// <summary>An entity taken out of the market (a contributor who opted out): with no platform no ranking
    /// admits it (<c>RankingWindow.Admits</c> refuses group 0), so it leaves TRND, the ticker and the hub at once.</summary>
    public static EntityInfo Withdrawn(EntityKind kind, int id) => new(kind, id, "", null, null);

    public static EntityInfo Of(Topic topic) => new(EntityKind.Topic, topic.Id, topic.Name, null, topic.Id);

    public static EntityInfo Of(Creator creator) => new(EntityKind.Creator, creator.Id, creator.Handle, creator.Platform, creator.TopicId, IsDemo: creator.IsDemo);

    public static EntityInfo Of(MarketClip clip) =>
        new(EntityKind.Clip, clip.Id, clip.Title, clip.Platform, clip.TopicId, clip.CreatorId, clip.ClipperId, clip.PublishedAt, clip.VodId, clip.IsDemo);
}
