namespace Terminal.Web.Features.Shell;

/// <summary>A screen of the terminal as the function list and the command bar know it (SPEC §2).</summary>
/// <param name="Mnemonic">What you type: TRND, CRTR, …</param>
/// <param name="Name">What the screen is.</param>
/// <param name="Href">Where it lives.</param>
/// <param name="Argument">The optional argument's name (shown as a hint), or null.</param>
/// <param name="AdminOnly">Only listed for admins.</param>
public sealed record TerminalFunction(string Mnemonic, string Name, string Href, string? Argument = null, bool AdminOnly = false);

/// <summary>The outcome of a command-bar line: a route to go to, or a message saying why not.</summary>
public sealed record CommandOutcome(string? Route, string? Error)
{
    public bool Succeeded => Route is not null;

    public static CommandOutcome Go(string route) => new(route, null);

    public static CommandOutcome Fail(string error) => new(null, error);
}

/// <summary>The Bloomberg-style mnemonics of SPEC §2 and how a typed line becomes a route.</summary>
public static class TerminalFunctions
{
    public static readonly IReadOnlyList<TerminalFunction> All =
    [
        new("TRND", "Market overview", "/trnd"),
        new("CRTR", "Creator", "/crtr", "handle"),
        new("CLIP", "Clip desk", "/clip", "vodId"),
        new("INSG", "Insights", "/insg"),
        new("CRM", "My accounts", "/crm"),
        new("ACCT", "Settings", "/acct"),
        new("ADMIN", "Operations", "/admin", AdminOnly: true),
        new("API", "External API", "/api-docs"),
        new("HELP", "Definitions", "/help"),
        new("ALRT", "Alerts", "/alrt"),
        new("WATCH", "Watchlists", "/watch"),
    ];

    public static TerminalFunction? Find(string mnemonic) =>
        All.FirstOrDefault(f => string.Equals(f.Mnemonic, mnemonic, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Parses <c>MNEMONIC [argument]</c> in any case: <c>CRTR mrbeast</c> → <c>/crtr/mrbeast</c>,
    /// <c>CLIP 0b5e…</c> → <c>/clip/0b5e…</c>, <c>TRND</c> → <c>/trnd</c>. Anything else gets a message.
    /// </summary>
    /// <param name="isAdmin">Whether the user may open admin-only functions (others are told so and not offered them).</param>
    public static CommandOutcome Parse(string? line, bool isAdmin = true)
    {
        var text = (line ?? "").Trim();
        if (text.Length == 0)
        {
            return CommandOutcome.Fail("Type a function, e.g. TRND or CRTR <handle>.");
        }

        var space = text.IndexOfAny([' ', '\t']);
        var mnemonic = space < 0 ? text : text[..space];
        var argument = space < 0 ? "" : text[(space + 1)..].Trim();
        var function = Find(mnemonic);
        if (function is null)
        {
            return CommandOutcome.Fail($"Unknown function \"{Truncate(mnemonic)}\". Try {string.Join(", ", All.Where(f => isAdmin || !f.AdminOnly).Select(f => f.Mnemonic))}.");
        }

        if (function.AdminOnly && !isAdmin)
        {
            return CommandOutcome.Fail($"{function.Mnemonic} is for administrators.");
        }

        switch (function.Mnemonic)
        {
            case "CRTR":
                var handle = argument.TrimStart('@');
                return handle.Length == 0 ? CommandOutcome.Go(function.Href) : CommandOutcome.Go($"/crtr/{Uri.EscapeDataString(handle)}");
            case "CLIP":
                if (argument.Length == 0)
                {
                    return CommandOutcome.Go(function.Href);
                }

                return Guid.TryParse(argument, out var vodId)
                    ? CommandOutcome.Go($"/clip/{vodId}")
                    : CommandOutcome.Fail($"CLIP takes a VOD id (a GUID such as 3f2b…); \"{Truncate(argument)}\" is not one.");
            default:
                return argument.Length == 0
                    ? CommandOutcome.Go(function.Href)
                    : CommandOutcome.Fail($"{function.Mnemonic} takes no argument.");
        }
    }

    private static string Truncate(string value) => value.Length <= 24 ? value : value[..24] + "…";
}
