using Terminal.Web.Features.Api;
using Terminal.Core;
using Terminal.Data;
using Terminal.Jobs;
using Terminal.Web;
using Terminal.Web.Components;
using Terminal.Web.Features.Accounts;
using Terminal.Web.Features.Admin;
using Terminal.Web.Features.Billing;
using Terminal.Web.Features.Clips;
using Terminal.Web.Features.LinkedAccounts;
using Terminal.Web.Features.Market;
using Terminal.Web.Features.Health;
using Terminal.Web.Features.Hosting;
using Terminal.Web.Features.Insights;
using Terminal.Web.Features.Reports;
using Terminal.Web.Features.Alerts;
using Terminal.Web.Features.Cluster;

var builder = WebApplication.CreateBuilder(AdminCommand.HostArguments(args));
builder.Configuration.AddRepositoryAppSettings();
// Serves _framework/ and _content/ from the build's static web assets manifest in every environment
// (dotnet run -c Release, tests); a published app has no manifest and serves wwwroot as usual.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddTerminalCore();
builder.Services.AddTerminalData(builder.Configuration);
builder.AddTerminalJobs();
builder.AddTerminalWeb();
builder.AddPublicBaseUrl();
builder.AddMarketFeature();
builder.AddClipsFeature();
builder.AddLinkedAccountsFeature();
builder.AddBillingFeature();
builder.AddAdminFeature();
builder.AddInsightsFeature();
builder.AddReportsFeature();
builder.AddAlertsFeature();
// With Terminal:Redis: one elected node produces the market, every node ingests it from a Redis stream.
builder.AddClusterFeature();
// The live market, wired in one place: feed → trend engine → ticker → hub broadcaster, connected
// before any hosted service starts and disconnected at stop (the parts subscribe to nothing themselves).
builder.Services.AddHostedService<MarketPipeline>();

var app = builder.Build();
await app.Services.InitialiseTerminalDatabaseAsync();
if (AdminCommand.IsAdminCommand(args))
{
    // The operator's command line (first admin): the host's services, no web server, then exit.
    return await AdminCommand.RunAsync(app.Services, args, Console.Out, Console.Error);
}

// First: the client address and scheme behind a known proxy (throttling, links, Secure cookies).
app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UsePublicBaseUrlHsts();
app.UseApiErrorBodies();
app.UseTerminalSecurityHeaders();
app.UseAuthentication();
app.UseBearerSessionValidation();
app.UseCrossSiteRequestGuard();
app.UseAuthorization();
app.UseAntiforgery();
// After authorization: the external API's limiter partitions by the authenticated API key.
app.UseRateLimiter();

app.MapStaticAssets().AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapTerminalApiReference();
app.MapTerminalHealth();
app.MapAuthEndpoints();
app.MapMarketFeature();
app.MapClipsFeature();
app.MapLinkedAccountsFeature();
app.MapBillingFeature();
app.MapAdminFeature();
app.MapInsightsFeature();
app.MapReportsFeature();
app.MapAlertsFeature();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

/// <summary>Entry point; partial so that WebApplicationFactory&lt;Program&gt; can reach it.</summary>
public partial class Program;
