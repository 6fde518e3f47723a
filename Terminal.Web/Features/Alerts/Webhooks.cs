using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Terminal.Core.Alerts;
using Terminal.Core.Common;
using Terminal.Core.Secrets;
using Terminal.Jobs.Media;

namespace Terminal.Web.Features.Alerts;

/// <summary>
/// The alert webhook signature (SPEC §11): <c>X-Terminal-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex
/// HMAC-SHA256(secret, "t.body")&gt;</c>, the same scheme as Stripe's, so receivers can reuse their
/// verification code. A receiver recomputes the HMAC over the timestamp, a dot and the raw body with
/// its endpoint's secret, compares in constant time and rejects old timestamps.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Terminal-Signature";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}"));
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>True when <paramref name="header"/> is a valid signature of <paramref name="body"/> under <paramref name="secret"/>, at most <paramref name="tolerance"/> old.</summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? t = null;
        string? v1 = null;
        foreach (var part in (header ?? "").Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2)
            {
                continue;
            }

            if (kv[0].Trim() == "t" && long.TryParse(kv[1], out var ts))
            {
                t = ts;
            }
            else if (kv[0].Trim() == "v1")
            {
                v1 = kv[1].Trim();
            }
        }

        if (t is null || v1 is null || Math.Abs(now.ToUnixTimeSeconds() - t.Value) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, t.Value, body).Split("v1=")[1]);
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(v1));
    }
}

/// <summary>Webhook URLs follow the same outbound rules as VOD sources (SPEC §4/§8): http(s), no
/// credentials, no private addresses unless the operator allowed them (<c>Terminal:Media:…</c>).</summary>
public sealed class WebhookUrlGuard(SourceUrlGuard guard)
{
    public async Task<Uri> CheckAsync(string? url, CancellationToken cancellationToken)
    {
        try
        {
            return await guard.CheckAsync(url, cancellationToken);
        }
        catch (TerminalException e)
        {
            throw TerminalException.BadRequest("invalid_webhook_url", e.Message.Replace("source", "webhook URL", StringComparison.OrdinalIgnoreCase));
        }
    }
}

/// <summary><c>Terminal:Alerts</c>: webhook retries and the failure count that disables an endpoint.</summary>
public sealed class AlertOptions
{
    public const string Section = "Terminal:Alerts";

    /// <summary>Attempts per firing and endpoint (the first one included).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 20)]
    public int WebhookAttempts { get; set; } = 4;

    /// <summary>Backoff before the second attempt; doubled for each later one.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 600_000)]
    public int WebhookBackoffMilliseconds { get; set; } = 2000;

    /// <summary>Consecutive failed attempts after which an endpoint is disabled.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int DisableAfterFailures { get; set; } = 8;

    [System.ComponentModel.DataAnnotations.Range(1, 120)]
    public int WebhookTimeoutSeconds { get; set; } = 10;
}

/// <summary>
/// Delivers firings to the owner's enabled webhook endpoints from a bounded in-process queue: POST of
/// the firing's JSON, signed (<see cref="WebhookSignature"/>), retried with exponential backoff, every
/// attempt logged with its response code, the endpoint disabled after
/// <see cref="AlertOptions.DisableAfterFailures"/> consecutive failures. Connections go only to
/// addresses <see cref="AddressPolicy"/> allows, checked on the address actually connected to.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService, IAlertSink
{
    private readonly Channel<(AlertFiring Firing, AlertRule Rule)> _queue = Channel.CreateBounded<(AlertFiring, AlertRule)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly IAlertStore _store;
    private readonly ISecretStore _secrets;
    private readonly AllowedConnector _connector;
    private readonly IOptionsMonitor<AlertOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly HttpClient _http;

    public WebhookDispatcher(IAlertStore store, ISecretStore secrets, AddressPolicy policy, HostResolver resolver, IOptionsMonitor<AlertOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        _store = store;
        _secrets = secrets;
        _connector = new AllowedConnector(policy, resolver);
        _options = options;
        _time = time;
        _logger = logger;
        #pragma warning disable CA2000 // the handler is owned and disposed by _http (HttpClient disposeHandler: true)
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false, ConnectCallback = _connector.ConnectAsync };
        #pragma warning restore CA2000
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.CurrentValue.WebhookTimeoutSeconds) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("ClipTerminal-Webhooks/1.0");
    }

    public Task DeliverAsync(AlertFiring firing, AlertRule rule, CancellationToken cancellationToken)
    {
        if (rule.Channels.HasFlag(AlertChannels.Webhook))
        {
            _queue.Writer.TryWrite((firing, rule));
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (firing, _) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var endpoints = await _store.WebhooksAsync(firing.UserId, stoppingToken);
                await Task.WhenAll(endpoints.Where(e => e.Enabled).Select(e => SendWithRetriesAsync(e, firing, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Webhook delivery of alert {FiringId} failed", firing.Id);
            }
        }
    }

    /// <summary>Delivers one firing to one endpoint, retrying with backoff; returns true once a 2xx came back.</summary>
    public async Task<bool> SendWithRetriesAsync(WebhookEndpoint endpoint, AlertFiring firing, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var reference = await _store.WebhookSecretReferenceAsync(endpoint.Id, cancellationToken);
        var secret = reference is null ? null : await _secrets.GetAsync(reference, cancellationToken);
        if (secret is null)
        {
            return false;
        }

        var body = System.Text.Json.JsonSerializer.Serialize(AlertDto.From(firing), System.Text.Json.JsonSerializerOptions.Web);
        var delay = TimeSpan.FromMilliseconds(options.WebhookBackoffMilliseconds);
        for (var attempt = 1; attempt <= options.WebhookAttempts; attempt++)
        {
            int? code = null;
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, _time.GetUtcNow().ToUnixTimeSeconds(), body));
                using var response = await _http.SendAsync(request, cancellationToken);
                code = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The receiver's detail goes to the log only; the delivery log keeps a generic reason.
                _logger.LogInformation("Webhook {EndpointId} attempt {Attempt}: {Error}", endpoint.Id, attempt, e.Message);
                error = e is TaskCanceledException ? "timeout" : "unreachable";
            }

            var success = code is >= 200 and < 300;
            var now = await _store.RecordDeliveryAsync(endpoint.Id, firing.Id, attempt, code, error, success, options.DisableAfterFailures, _time.GetUtcNow().UtcDateTime, cancellationToken);
            if (success)
            {
                return true;
            }

            if (now is null || !now.Enabled || attempt == options.WebhookAttempts)
            {
                return false;
            }

            await Task.Delay(delay, _time, cancellationToken);
            delay *= 2;
        }

        return false;
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
