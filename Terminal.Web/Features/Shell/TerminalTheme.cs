using MudBlazor;

namespace Terminal.Web.Features.Shell;

/// <summary>The Bloomberg-style look in one place: near-black panels, amber accents, green/red deltas, monospace numerals.</summary>
public static class TerminalTheme
{
    public const string Up = "#00d26a";
    public const string Down = "#ff4d4f";
    public const string Amber = "#ffb000";

    public static readonly MudTheme Theme = new()
    {
        PaletteDark = new PaletteDark
        {
            Black = "#000000",
            Background = "#050607",
            BackgroundGray = "#0b0d10",
            Surface = "#0d1014",
            DrawerBackground = "#080a0c",
            AppbarBackground = "#0a0c0f",
            AppbarText = "#e6e6e6",
            TextPrimary = "#e8e8e8",
            TextSecondary = "#9aa4ad",
            TextDisabled = "#5b636b",
            Primary = Amber,
            PrimaryContrastText = "#000000",
            Secondary = "#4fc3f7",
            Tertiary = "#b388ff",
            Info = "#4fc3f7",
            Success = Up,
            Error = Down,
            Warning = "#ffcc00",
            Divider = "#1c2127",
            DividerLight = "#14181d",
            LinesDefault = "#1c2127",
            LinesInputs = "#2a3038",
            TableLines = "#161a1f",
            TableHover = "#141a22",
            TableStriped = "#0a0d10",
            ActionDefault = "#9aa4ad",
            HoverOpacity = 0.08,
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
                FontSize = "0.8125rem",
                LineHeight = "1.35",
            },
            Body2 = new Body2Typography { FontSize = "0.75rem", LineHeight = "1.3" },
            Caption = new CaptionTypography { FontSize = "0.6875rem" },
            Button = new ButtonTypography { FontSize = "0.75rem", FontWeight = "600", TextTransform = "none" },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "2px",
            AppbarHeight = "40px",
            DrawerWidthLeft = "188px",
        },
    };
}
