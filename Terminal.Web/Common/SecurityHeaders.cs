namespace Terminal.Web.Common;

internal static class SecurityHeaders
{
    /// <summary>SPEC §8 security headers on every response. The API reference page (Scalar) keeps its own inline scripts, so it gets no CSP.</summary>
    public static IApplicationBuilder UseTerminalSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/scalar"))
            {
                headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
                    "media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
                    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
            }

            return next();
        });
}
