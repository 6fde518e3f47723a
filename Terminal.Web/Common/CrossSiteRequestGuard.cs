namespace Terminal.Web.Common;

/// <summary>
/// CSRF defence beyond SameSite (SPEC §8): an unsafe request (POST/PUT/PATCH/DELETE) on <c>/api</c>, or
/// a hub request (negotiate or WebSocket upgrade) on <c>/hubs</c>, that a browser could have sent with
/// our cookie — it carries a cookie and neither a bearer token nor an API key — is refused with 403
/// when its <c>Origin</c> is not ours or the browser says <c>Sec-Fetch-Site: cross-site</c>. Bearer and
/// API-key calls are unaffected (a foreign page cannot attach them); a same-origin call needs no token.
/// </summary>
internal static class CrossSiteRequestGuard
{
    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsRefused(context))
        {
            await ApiResults.WriteErrorAsync(context.Response, StatusCodes.Status403Forbidden, "cross_site_request",
                "A request from another site cannot use this session.", context.RequestAborted);
            return;
        }

        await next(context);
    });

    internal static bool IsRefused(HttpContext context)
    {
        var request = context.Request;
        var isHub = request.Path.StartsWithSegments("/hubs");
        var isUnsafeApi = request.Path.StartsWithSegments("/api") &&
                          !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (!(isHub || isUnsafeApi) || !request.Headers.ContainsKey("Cookie") ||
            request.Headers.ContainsKey("Authorization") || request.Headers.ContainsKey("X-Api-Key"))
        {
            return false;
        }

        if (string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false; // not sent by a browser on a cross-origin request
        }

        var own = $"{request.Scheme}://{request.Host}";
        var configured = context.RequestServices.GetService<IPublicBaseUrl>()?.Configured;
        return !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) &&
               !(Uri.TryCreate(configured, UriKind.Absolute, out var publicBase) &&
                 string.Equals(origin, publicBase.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));
    }
}
