using Microsoft.AspNetCore.SignalR;

namespace Terminal.Tests.Infrastructure;

/// <summary>An in-memory hub context whose every client proxy is itself: a test decides what a send does.</summary>
public abstract class FakeHubContext<THub> : IHubContext<THub>, IHubClients, IClientProxy
    where THub : Hub
{
    public IHubClients Clients => this;

    public IGroupManager Groups => throw new NotSupportedException();

    public IClientProxy All => this;

    public abstract Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default);

    public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => this;

    public IClientProxy Client(string connectionId) => this;

    IClientProxy IHubClients<IClientProxy>.Clients(IReadOnlyList<string> connectionIds) => this;

    public IClientProxy Group(string groupName) => this;

    public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => this;

    IClientProxy IHubClients<IClientProxy>.Groups(IReadOnlyList<string> groupNames) => this;

    public IClientProxy User(string userId) => this;

    public IClientProxy Users(IReadOnlyList<string> userIds) => this;
}
