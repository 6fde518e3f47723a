using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MudBlazor.Services;
using Terminal.Core.Accounts;
using Terminal.Data;
using Terminal.Data.Accounts;
using Terminal.Jobs.Media;
using Terminal.Jobs.Scheduling;
using Terminal.Web.Features.Accounts;
using Terminal.Web.Features.Health;

namespace Terminal.Web;

public static class DependencyInjection
{
    /// <summary>The combined scheme: bearer when the request carries one, else the Identity cookie.</summary>
    public const string SmartScheme = "Terminal";

    public static IHostApplicationBuilder AddTerminalWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddRazorComponents().AddInteractiveServerComponents();
        // Toasts at the bottom left: the clip desk's request panel and job list sit at the top right.
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft);
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddTerminalForwardedHeaders(builder.Configuration);

        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = 1 * 1024 * 1024);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();

        AddAccounts(services);
        services.AddScoped<Terminal.Web.Features.Watchlists.TickerSource>();

        // JSON for browsers and the docs; MessagePack for clients that ask for it (smaller, cheaper ticks to fan out).
        var signalR = services.AddSignalR().AddJsonProtocol(o => ConfigureJson(o.PayloadSerializerOptions)).AddMessagePackProtocol();
        var redis = builder.Configuration["Terminal:Redis"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("clip-terminal"));
        }

        services.AddOpenApi();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<SchedulerHealthCheck>("scheduler")
            .AddCheck<FfmpegHealthCheck>("ffmpeg")
            .AddCheck<MarketHealthCheck>("market");
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    private static void AddAccounts(IServiceCollection services)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or bearer", o => o.ForwardDefaultSelector = SelectScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(12);
                o.Events.OnMessageReceived = context =>
                {
                    // Browsers cannot set headers on WebSockets: the hub takes ?access_token=.
                    var token = context.Request.Query["access_token"];
                    if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                    {
                        context.Token = token;
                    }

                    return Task.CompletedTask;
                };
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/forbidden";
                o.ReturnUrlParameter = "returnUrl";
                o.Cookie.Name = "clipterminal.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Challenge(context, StatusCodes.Status403Forbidden);
            }));

        services.AddAuthorizationBuilder()
            // Secure by default: every endpoint needs an account unless it says AllowAnonymous (SPEC §2).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin));

        services.AddIdentityCore<TerminalUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.SignIn.RequireConfirmedEmail = false;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Lockout.MaxFailedAccessAttempts = 10;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddTerminalIdentityStores()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddOptions<AccountSessionOptions>().BindConfiguration(AccountSessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<AccountSessionOptions>>((o, sessions) => o.ValidationInterval = sessions.Value.ValidationInterval);
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<BearerSessionValidator>();
        services.AddScoped<AccountService>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<IAdminRoles, AdminRoles>();
    }

    internal static string SelectScheme(HttpContext context)
    {
        string? authorization = context.Request.Headers.Authorization;
        if (authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
        {
            return IdentityConstants.BearerScheme;
        }

        if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query.ContainsKey("access_token"))
        {
            return IdentityConstants.BearerScheme;
        }

        return IdentityConstants.ApplicationScheme;
    }

    /// <summary>APIs answer 401/403 (with the error body); screens redirect to the log-in page and come back.</summary>
    private static Task Challenge(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (ApiResults.IsApiPath(context.Request.Path))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
