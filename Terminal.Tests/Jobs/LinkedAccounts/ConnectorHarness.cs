using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.LinkedAccounts;
using Terminal.Core.Market;
using Terminal.Jobs.LinkedAccounts;
using WireMock.Server;

namespace Terminal.Tests.Jobs.LinkedAccounts;

/// <summary>The connectors with their real resilient HttpClients, pointed at a WireMock server that speaks
/// the platforms' wire formats. Retry delays are milliseconds so the suite stays fast.</summary>
public sealed class ConnectorHarness : IDisposable
{
    public ConnectorHarness()
    {
        Server = WireMockServer.Start();
        var settings = PlatformSettings(Server.Url!);
        settings["Terminal:LinkedAccounts:RetryBaseDelayMilliseconds"] = "5";
        settings["Terminal:LinkedAccounts:MaxRetryAttempts"] = "3";
        settings["Terminal:LinkedAccounts:MaxPagesPerSync"] = "10";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddLinkedAccountServices();
        Provider = services.BuildServiceProvider();
    }

    public WireMockServer Server { get; }

    public ServiceProvider Provider { get; }

    public PlatformConnector Connector(Platform platform) => Provider.GetServices<PlatformConnector>().Single(c => c.Platform == platform);

    /// <summary>Terminal:Platforms:* pointing at a fake at <paramref name="url"/> (paths mimic the real ones).</summary>
    public static Dictionary<string, string?> PlatformSettings(string url) => new()
    {
        ["Terminal:Platforms:YouTube:AuthorizeUrl"] = $"{url}/google/o/oauth2/v2/auth",
        ["Terminal:Platforms:YouTube:TokenUrl"] = $"{url}/google/token",
        ["Terminal:Platforms:YouTube:RevokeUrl"] = $"{url}/google/revoke",
        ["Terminal:Platforms:YouTube:ApiBaseUrl"] = $"{url}/youtube/v3",
        ["Terminal:Platforms:Instagram:AuthorizeUrl"] = $"{url}/instagram/oauth/authorize",
        ["Terminal:Platforms:Instagram:TokenUrl"] = $"{url}/instagram/oauth/access_token",
        ["Terminal:Platforms:Instagram:ApiBaseUrl"] = $"{url}/graph",
        ["Terminal:Platforms:TikTok:AuthorizeUrl"] = $"{url}/tiktok/v2/auth/authorize/",
        ["Terminal:Platforms:TikTok:TokenUrl"] = $"{url}/tiktok/v2/oauth/token/",
        ["Terminal:Platforms:TikTok:ApiBaseUrl"] = $"{url}/tiktok/v2",
    };

    public void Dispose()
    {
        Provider.Dispose();
        Server.Stop();
        Server.Dispose();
    }
}

/// <summary>Keeps what a connector hands over, like the database sink does, and meters quota.</summary>
public sealed class RecordingSink(int budget = int.MaxValue) : ISyncSink
{
    public FetchedProfile? Profile { get; private set; }

    public List<IReadOnlyList<FetchedPost>> Pages { get; } = [];

    public IEnumerable<FetchedPost> Posts => Pages.SelectMany(p => p);

    public int QuotaUsed { get; private set; }

    public Task SaveProfileAsync(FetchedProfile profile, CancellationToken cancellationToken)
    {
        Profile = profile;
        return Task.CompletedTask;
    }

    public Task SavePageAsync(IReadOnlyList<FetchedPost> posts, CancellationToken cancellationToken)
    {
        Pages.Add(posts);
        return Task.CompletedTask;
    }

    public Task ChargeAsync(int units, CancellationToken cancellationToken)
    {
        if (QuotaUsed + units > budget)
        {
            throw new PlatformApiException(Platform.YouTube, System.Net.HttpStatusCode.TooManyRequests, "daily_quota_exhausted", "budget", isQuotaError: true);
        }

        QuotaUsed += units;
        return Task.CompletedTask;
    }
}
