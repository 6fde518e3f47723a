using System.Diagnostics;
using System.Net.Http.Json;
using Terminal.Tests.Infrastructure;

namespace Terminal.Tests.Web.Features.Accounts;

/// <summary>
/// <c>dotnet Terminal.Web.dll admin grant|revoke &lt;email&gt;</c> run as the operator would: the built
/// app as its own process on the test's data directory, which must answer and exit without serving.
/// </summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly TerminalWebFactory factory = new();

    [Fact]
    public async Task AdminGrant_ForARegisteredAccount_ExitsZero_AndTheAccountIsAdmin()
    {
        var user = await factory.CreateUserClientAsync();

        var (exit, output, error) = await RunAsync("admin", "grant", user.Email);

        exit.Should().Be(0, error);
        output.Should().Contain(user.Email);
        (await RolesAsync(user)).Should().Contain("Admin");
    }

    [Fact]
    public async Task AdminGrant_ForAnUnknownAccount_ExitsNonZero_WithAMessage()
    {
        _ = await factory.CreateUserClientAsync(); // the database exists; this e-mail does not

        var (exit, _, error) = await RunAsync("admin", "grant", "nobody@test.local");

        exit.Should().NotBe(0);
        error.Should().Contain("nobody@test.local");
    }

    [Fact]
    public async Task AdminRevoke_TakesTheRoleAway_ButNeverFromTheLastAdmin()
    {
        var first = await factory.CreateUserClientAsync();
        var second = await factory.CreateUserClientAsync();
        (await RunAsync("admin", "grant", first.Email)).Exit.Should().Be(0);
        (await RunAsync("admin", "grant", second.Email)).Exit.Should().Be(0);

        (await RunAsync("admin", "revoke", second.Email)).Exit.Should().Be(0);
        var last = await RunAsync("admin", "revoke", first.Email);

        (await RolesAsync(second)).Should().BeEmpty();
        last.Exit.Should().NotBe(0);
        last.Error.Should().Contain("last admin");
        (await RolesAsync(first)).Should().Contain("Admin");
    }

    private async Task<string[]> RolesAsync(AuthenticatedClient user)
    {
        var client = factory.CreateApiClient();
        var token = await TerminalWebFactory.LoginAsync(client, user.Email, user.Password);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return (await client.GetFromJsonAsync<TerminalWebFactory.UserDto>("/api/auth/user"))!.Roles;
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = factory.DataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Terminal.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Terminal__DataDirectory"] = factory.DataDirectory;
        start.Environment["Terminal__DemoFeed__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // A port that a server would have to bind: if the command started Kestrel, it would not exit.
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("`admin` did not exit: did it start the web server?");
        }

        return (process.ExitCode, await output, await error);
    }

    public void Dispose() => factory.Dispose();
}
