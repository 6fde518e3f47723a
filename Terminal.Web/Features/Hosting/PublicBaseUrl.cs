using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Terminal.Core;

namespace Terminal.Web.Features.Hosting;

/// <summary><see cref="IPublicBaseUrl"/> over <c>Terminal:PublicBaseUrl</c>, the request and the server's addresses.</summary>
public sealed class PublicBaseUrl(IOptionsMonitor<TerminalOptions> options, IHttpContextAccessor http, IServer? server = null) : IPublicBaseUrl
{
    public string? Configured => Normalise(options.CurrentValue.PublicBaseUrl);

    public string Resolve(string? requestBase = null)
    {
        if (Configured is { } configured)
        {
            return configured;
        }

        if (Normalise(requestBase) is { } given)
        {
            return given;
        }

        if (http.HttpContext?.Request is { } request && request.Host.HasValue)
        {
            return $"{request.Scheme}://{request.Host}{request.PathBase}";
        }

        var address = server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return Normalise(address?.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)) ?? "http://localhost";
    }

    private static string? Normalise(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().TrimEnd('/');
}

/// <summary><c>Terminal:RequirePublicBaseUrl</c> and what a public base URL switches on.</summary>
public static class PublicBaseUrlSetup
{
    /// <summary>
    /// Registers <see cref="IPublicBaseUrl"/>. Production (outside Development, with SQL Server or
    /// <c>Terminal:RequirePublicBaseUrl=true</c>) refuses to start without <c>Terminal:PublicBaseUrl</c>.
    /// When it is set, <c>AllowedHosts</c> (left at <c>*</c>) becomes its host, and when it is https the
    /// session cookie is <c>Secure</c> (HSTS is added in the pipeline).
    /// </summary>
    public static IHostApplicationBuilder AddPublicBaseUrl(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddSingleton<IPublicBaseUrl, PublicBaseUrl>();

        var value = configuration[$"{TerminalOptions.Section}:PublicBaseUrl"];
        var usesSqlServer = string.Equals(configuration["Terminal:Database:Provider"], "SqlServer", StringComparison.OrdinalIgnoreCase);
        var required = configuration.GetValue<bool?>("Terminal:RequirePublicBaseUrl") ?? (!builder.Environment.IsDevelopment() && usesSqlServer);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                throw new OptionsValidationException("Terminal:PublicBaseUrl", typeof(TerminalOptions),
                    ["Terminal:PublicBaseUrl is required in production (e.g. https://terminal.example.com): links and OAuth redirect URIs are built on it, never on the request's Host header."]);
            }

            return builder;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var publicBase) || publicBase.Scheme is not ("http" or "https") ||
            !string.IsNullOrEmpty(publicBase.Query) || !string.IsNullOrEmpty(publicBase.Fragment))
        {
            throw new OptionsValidationException("Terminal:PublicBaseUrl", typeof(TerminalOptions),
                [$"Terminal:PublicBaseUrl must be an absolute http(s) address such as https://terminal.example.com (got '{value}')."]);
        }

        var allowedHosts = configuration["AllowedHosts"];
        if (string.IsNullOrWhiteSpace(allowedHosts) || allowedHosts.Trim() == "*")
        {
            services.Configure<HostFilteringOptions>(o => o.AllowedHosts = [publicBase.IdnHost]);
        }

        if (publicBase.Scheme == Uri.UriSchemeHttps)
        {
            // The session cookie is always Secure; the antiforgery cookie (default: never Secure) follows the
            // request's scheme (https via X-Forwarded-Proto) — Always would make a plain-http request a 500.
            services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
            services.PostConfigure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(
                Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme, o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        }

        return builder;
    }

    /// <summary>HSTS when the public address is https (requests seen as https, e.g. via <c>X-Forwarded-Proto</c>).</summary>
    public static IApplicationBuilder UsePublicBaseUrlHsts(this WebApplication app)
    {
        var publicBase = app.Services.GetRequiredService<IPublicBaseUrl>().Configured;
        if (!app.Environment.IsDevelopment() && publicBase?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true)
        {
            app.UseHsts();
        }

        return app;
    }
}
