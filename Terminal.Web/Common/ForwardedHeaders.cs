using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Terminal.Web.Common;

/// <summary><c>Terminal:ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Terminal:ForwardedHeaders";

    /// <summary>Proxy addresses besides loopback (which is always known), e.g. <c>10.0.0.4</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

internal static class ForwardedHeadersSetup
{
    /// <summary>
    /// The client address and scheme come from <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> only when the
    /// connection is from loopback or a configured proxy; anyone else's header is ignored, so it cannot
    /// choose the address it is throttled on (SPEC §8).
    /// </summary>
    public static IServiceCollection AddTerminalForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            // Defaults: 127.0.0.0/8 and ::1. One proxy hop; the right-most untrusted entry is the client.
            foreach (var proxy in settings.KnownProxies.Where(p => !string.IsNullOrWhiteSpace(p)))
            {
                o.KnownProxies.Add(IPAddress.TryParse(proxy.Trim(), out var ip)
                    ? ip
                    : throw new Microsoft.Extensions.Options.OptionsValidationException(ForwardedHeadersSettings.Section, typeof(ForwardedHeadersSettings),
                        [$"Terminal:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."]));
            }

            foreach (var network in settings.KnownNetworks.Where(n => !string.IsNullOrWhiteSpace(n)))
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network.Trim(), out var parsed)
                    ? parsed
                    : throw new Microsoft.Extensions.Options.OptionsValidationException(ForwardedHeadersSettings.Section, typeof(ForwardedHeadersSettings),
                        [$"Terminal:ForwardedHeaders:KnownNetworks: '{network}' is not a CIDR network."]));
            }
        });
        return services;
    }
}
