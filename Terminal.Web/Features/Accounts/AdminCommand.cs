using Terminal.Core.Accounts;

namespace Terminal.Web.Features.Accounts;

/// <summary>
/// <c>dotnet Terminal.Web.dll admin grant|revoke &lt;email&gt;</c>: the operator's way to make the first
/// admin (SPEC §4). Runs against the host's own services and configuration (same data directory or
/// database) without starting the web server, then exits: 0 done, 1 refused (unknown account, last
/// admin), 2 usage.
/// </summary>
public static class AdminCommand
{
    public const string Verb = "admin";

    /// <summary>True when the command line asks for the admin verb rather than the server.</summary>
    public static bool IsAdminCommand(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>The arguments meant for the host (configuration switches after the verb's own three).</summary>
    public static string[] HostArguments(string[] args) => IsAdminCommand(args) ? args.Skip(3).ToArray() : args;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length < 3 || args[1] is not ("grant" or "revoke") || string.IsNullOrWhiteSpace(args[2]))
        {
            await error.WriteLineAsync("usage: dotnet Terminal.Web.dll admin grant|revoke <email>");
            return 2;
        }

        var (action, email) = (args[1], args[2].Trim());
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<IAdminRoles>();
        try
        {
            if (action == "grant")
            {
                var changed = await roles.GrantByEmailAsync(email);
                await output.WriteLineAsync(changed ? $"{email} is now an admin." : $"{email} was already an admin.");
            }
            else
            {
                var changed = await roles.RevokeByEmailAsync(email);
                await output.WriteLineAsync(changed ? $"{email} is no longer an admin." : $"{email} was not an admin.");
            }

            return 0;
        }
        catch (TerminalException e)
        {
            await error.WriteLineAsync($"admin {action} failed: {e.Message}");
            return 1;
        }
    }
}
