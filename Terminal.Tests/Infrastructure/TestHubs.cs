using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Terminal.Tests.Infrastructure;

/// <summary>SignalR clients of <c>/hubs/market</c> through the in-process test server.</summary>
public static class TestHubs
{
    /// <summary>
    /// A builder for a WebSocket connection to the market hub carrying <paramref name="token"/> the way
    /// browsers must (in <c>?access_token=</c>; they cannot set headers on a WebSocket); no token = anonymous.
    /// </summary>
    public static IHubConnectionBuilder MarketHub(this WebApplicationFactory<Program> factory, string? token)
    {
        var server = factory.Server;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/market"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                if (token is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }

                o.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var uri = token is null ? context.Uri : new Uri($"{context.Uri}&access_token={Uri.EscapeDataString(token)}");
                    return await server.CreateWebSocketClient().ConnectAsync(uri, cancellationToken);
                };
            });
    }

    /// <summary>A built JSON-protocol connection to the market hub.</summary>
    public static HubConnection ConnectMarketHub(this WebApplicationFactory<Program> factory, string? token) =>
        factory.MarketHub(token).Build();
}
