using Scalar.AspNetCore;

namespace Terminal.Web.Features.Api;

/// <summary>
/// The interactive API reference (Scalar) at <c>/scalar</c>, made to look like the terminal and to
/// stay on this server: dark only, terminal colours and monospace, no web fonts from the vendor's
/// CDN, no AI chat, MCP, telemetry or developer-tools bar (where "Deploy" and "Generate SDK" live).
/// </summary>
public static class ApiReference
{
    /// <summary>The terminal's palette for Scalar's CSS variables (same values as app.css and TerminalTheme).</summary>
    internal const string TerminalCss = """
        .dark-mode, .light-mode, :root {
          --scalar-font: "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
          --scalar-font-code: "JetBrains Mono", "DejaVu Sans Mono", Consolas, Menlo, monospace;
          --scalar-background-1: #050607;
          --scalar-background-2: #0d1014;
          --scalar-background-3: #151a20;
          --scalar-background-accent: #1a1406;
          --scalar-border-color: #1c2127;
          --scalar-color-1: #e8e8e8;
          --scalar-color-2: #c8d0d8;
          --scalar-color-3: #9aa4ad;
          --scalar-color-accent: #ffb000;
          --scalar-color-green: #00d26a;
          --scalar-color-red: #ff4d4f;
          --scalar-color-yellow: #ffb000;
          --scalar-color-blue: #4fc3f7;
          --scalar-color-orange: #ff8a3d;
          --scalar-color-purple: #b388ff;
          --scalar-radius: 2px;
          --scalar-radius-lg: 2px;
          --scalar-radius-xl: 2px;
        }
        .dark-mode .t-doc-h1, .section-header { letter-spacing: .02em; }
        """;

    public static IEndpointRouteBuilder MapTerminalApiReference(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference(o => o
                .WithTitle("Clip Terminal API")
                .WithTheme(ScalarTheme.None)
                .ForceDarkMode()
                .HideDarkModeToggle()
                .DisableDefaultFonts()
                .WithCustomCss(TerminalCss)
                .DisableAgent()
                .DisableMcp()
                .DisableTelemetry()
                .HideDeveloperTools()
                .HideClientButton())
            .AllowAnonymous();
        return app;
    }
}
