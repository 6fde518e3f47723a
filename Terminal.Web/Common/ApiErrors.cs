using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Terminal.Web.Common;

/// <summary>The one error body of SPEC §4: <c>{"error":{"code":"…","message":"…"}}</c>.</summary>
public sealed record ApiErrorBody(ApiError Error);

public sealed record ApiError(string Code, string Message);

/// <summary>SPEC §4 error statuses and codes. Handlers fail one way: they throw <see cref="TerminalException"/> and
/// <see cref="ApiExceptionHandler"/> writes the body (bodiless framework answers get theirs from <c>UseApiErrorBodies</c>).</summary>
public static class ApiResults
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.PaymentRequired => StatusCodes.Status402PaymentRequired,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Default code and message for a bare status produced by the framework (auth, routing, rate limiter).</summary>
    public static (string Code, string Message) Describe(int status) => status switch
    {
        400 => ("bad_request", "The request is not valid."),
        401 => ("unauthorized", "Sign in or send a valid bearer token or API key."),
        402 => ("payment_required", "This needs credits or a paid plan."),
        403 => ("forbidden", "You do not have access to this."),
        404 => ("not_found", "Nothing is here."),
        405 => ("method_not_allowed", "That method is not allowed here."),
        409 => ("conflict", "That conflicts with the current state."),
        413 => ("payload_too_large", "The request body is too large."),
        415 => ("unsupported_media_type", "Send the body as application/json."),
        429 => ("rate_limited", "Too many requests; retry after the time in Retry-After."),
        _ => ("error", "The request failed."),
    };

    /// <summary>Writes <paramref name="status"/> with the SPEC §4 body: the one place the body is built, for the
    /// exception handler and for the middleware that answers before any endpoint runs (auth challenge, CSRF guard).</summary>
    public static Task WriteErrorAsync(HttpResponse response, int status, string code, string message, CancellationToken cancellationToken = default)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(new ApiErrorBody(new ApiError(code, message)), cancellationToken);
    }

    /// <summary>True for paths whose clients expect JSON errors rather than pages.</summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/ext-api") || path.StartsWithSegments("/hubs");
}

/// <summary>
/// Turns exceptions into the SPEC §4 error body: <see cref="TerminalException"/> by its kind,
/// unreadable requests (malformed JSON, wrong content type, bad parameters) into 400/415, and
/// anything else into a logged 500 that reveals nothing.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, message) = exception switch
        {
            TerminalException t => (ApiResults.StatusOf(t.Kind), t.Code, t.Message),
            BadHttpRequestException { InnerException: JsonException } => (400, "invalid_json", "The body is not valid JSON for this request."),
            BadHttpRequestException b when b.StatusCode == 415 => (415, "unsupported_media_type", "Send the body as application/json."),
            BadHttpRequestException b when b.StatusCode == 413 => (413, "payload_too_large", "The request body is too large."),
            BadHttpRequestException b => (b.StatusCode, "bad_request", b.Message),
            JsonException => (400, "invalid_json", "The body is not valid JSON for this request."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "cancelled", "The client went away."),
            _ => (500, "internal_error", "Something went wrong on our side; it has been logged."),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        if (!ApiResults.IsApiPath(httpContext.Request.Path) && status >= 500)
        {
            return false; // pages get the error page
        }

        if (exception is TerminalException { RetryAfter: { } wait })
        {
            httpContext.Response.Headers.RetryAfter = TerminalException.RetryAfterSeconds(wait).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ApiResults.WriteErrorAsync(httpContext.Response, status, code, message, cancellationToken);
        return true;
    }
}

internal static class ApiErrorPipeline
{
    /// <summary>Writes the error body for bodiless 4xx answers on API paths (401 from auth, 404/405 from routing, 429…).</summary>
    public static IApplicationBuilder UseApiErrorBodies(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (!ApiResults.IsApiPath(http.Request.Path) || http.Response.HasStarted || http.Response.ContentLength > 0)
            {
                return;
            }

            var (code, message) = ApiResults.Describe(http.Response.StatusCode);
            await ApiResults.WriteErrorAsync(http.Response, http.Response.StatusCode, code, message, http.RequestAborted);
        });
}
