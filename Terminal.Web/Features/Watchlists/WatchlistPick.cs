namespace Terminal.Web.Features.Watchlists;

/// <summary>The answer of <see cref="AddToWatchlistDialog"/>: an existing list, or (ListId null) a new one with this name.</summary>
public sealed record WatchlistPick(long? ListId, string? NewName);
