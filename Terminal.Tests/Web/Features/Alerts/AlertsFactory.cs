using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Terminal.Core.Alerts;
using Terminal.Core.Market;
using Terminal.Core.Trends;
using Terminal.Tests.Infrastructure;
using WireMock.Server;

namespace Terminal.Tests.Web.Features.Alerts;

/// <summary>A market whose rows the test sets (the alert monitor reads it as it reads the engine).</summary>
public sealed class FakeAlertMarket : IAlertMarket
{
    public ConcurrentDictionary<(EntityKind, int), TrendItem> Rows { get; } = new();

    public void Set(EntityKind kind, int id, double heat, double? change = 0, int? topicId = null, bool trending = false) =>
        Rows[(kind, id)] = new TrendItem(1, id, $"{kind.ToWire()}{id}", Platform.YouTube, 100, change, heat, 0, []) { TopicId = topicId, Trending = trending };

    public TrendItem? Find(EntityKind kind, int id, Period period) => Rows.GetValueOrDefault((kind, id));

    public IReadOnlyList<TrendItem> Query(TrendQuery query) => Rows.Where(r => r.Key.Item1 == query.Kind).Select(r => r.Value).ToList();
}

/// <summary>The web app with a controllable market and a loopback webhook receiver allowed by the outbound rules.</summary>
public sealed class AlertsFactory : TerminalWebFactory
{
    public AlertsFactory()
    {
        Receiver = WireMockServer.Start();
        Settings["Terminal:Media:AllowedPrivateOrigins:0"] = Receiver.Url;
        Settings["Terminal:Alerts:WebhookAttempts"] = "3";
        Settings["Terminal:Alerts:WebhookBackoffMilliseconds"] = "20";
        Settings["Terminal:Alerts:DisableAfterFailures"] = "3";
        Settings["Terminal:Plans:Free:MaxAlertRules"] = "3";
        ServiceOverrides.Add(s => s.Replace(ServiceDescriptor.Singleton<IAlertMarket>(Market)));
    }

    public FakeAlertMarket Market { get; } = new();

    public WireMockServer Receiver { get; }

    public AlertMonitor Monitor => Services.GetRequiredService<AlertMonitor>();

    protected override void Dispose(bool disposing)
    {
        Receiver.Stop();
        base.Dispose(disposing);
    }
}
