using Microsoft.AspNetCore.SignalR;

namespace Terminal.Web.Features.Market;

/// <summary>
/// The real-time hub at <c>/hubs/market</c> (SPEC §5). REVIEW: minimal placeholder made by the clip
/// desk so <c>ClipProgress</c> has a hub to go out on; the market feature owns this class (trend
/// topics, Subscribe/Unsubscribe) and replaces it at merge.
/// </summary>
public sealed class MarketHub : Hub;
