namespace Terminal.Core.Clips;

/// <summary>Addresses of a VOD's media that lists and screens link to (served by the clips feature).</summary>
public static class VodMediaUrls
{
    /// <summary>The poster: the first tile of the thumbnail strip the probe made.</summary>
    public static string Poster(Guid vodId) => $"/api/vods/{vodId}/poster";
}
