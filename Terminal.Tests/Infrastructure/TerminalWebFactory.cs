using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Core.Accounts;

namespace Terminal.Tests.Infrastructure;

/// <summary>
/// The whole app in-process on its own data directory (own SQLite file, own keys, own clip folder).
/// One instance per test class (<c>IClassFixture</c>); settings overridable per fixture through
/// <see cref="Settings"/> before the first client is created.
/// </summary>
public class TerminalWebFactory : WebApplicationFactory<Program>
{
    public TerminalWebFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "clip-terminal-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Settings["Terminal:DataDirectory"] = DataDirectory;
        // Most tests do not need the simulated market; fixtures that do switch it on.
        Settings["Terminal:DemoFeed:Enabled"] = "false";
        // Every test client shares one address; tests register many accounts and try wrong passwords on
        // purpose. The throttling tests (SignInThrottleTests) remove these to get the real limits.
        Settings["Terminal:Throttling:RegistrationsPerAddress"] = "100000";
        Settings["Terminal:Throttling:FailedLoginsPerAddress"] = "100000";
    }

    /// <summary>The account <see cref="AdminClientAsync"/> makes an admin in every fixture.</summary>
    public const string AdminEmail = "admin@test.local";

    public string DataDirectory { get; }

    /// <summary>Configuration overrides applied on top of appsettings.json (highest precedence).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Extra service registrations (fakes for remote services).</summary>
    public List<Action<IServiceCollection>> ServiceOverrides { get; } = [];

    /// <summary>Serves on a real loopback port (for the browser); returns the base address.</summary>
    public Uri StartRealServer()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets();
        // Host settings are visible to Program.cs while it registers services (ConfigureAppConfiguration
        // below only applies after the builder phase): without this, registration-time reads such as the
        // data directory in AddTerminalData fell back to appsettings and every factory shared ./data.
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(Settings));
        builder.ConfigureServices(services =>
        {
            foreach (var configure in ServiceOverrides)
            {
                configure(services);
            }
        });
    }

    /// <summary>A client that keeps cookies and does not follow redirects (so tests can see 302s).</summary>
    public HttpClient CreateApiClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = ClientBaseAddress });

    /// <summary>The address (and so the Host header) of <see cref="CreateApiClient"/>'s requests.</summary>
    public Uri ClientBaseAddress { get; set; } = new("http://localhost");

    /// <summary>Registers a fresh account and returns a client carrying its bearer token.</summary>
    public async Task<AuthenticatedClient> CreateUserClientAsync(string? email = null, string password = "Passw0rd!x")
    {
        email ??= $"user-{Guid.NewGuid():N}@test.local";
        var client = CreateApiClient();
        var register = await client.PostAsJsonAsync("/api/auth/register", new { email, password });
        register.EnsureSuccessStatusCode();
        return await SignInAsync(client, email, password);
    }

    /// <summary>
    /// The fixture's admin (<see cref="AdminEmail"/>): registered by the first caller and granted Admin
    /// through <see cref="IAdminRoles"/> — the code path of <c>admin grant</c> — then only logged in by
    /// later ones, so several tests of one fixture can share it.
    /// </summary>
    public async Task<AuthenticatedClient> AdminClientAsync(string password = "Passw0rd!x")
    {
        var client = CreateApiClient();
        var register = await client.PostAsJsonAsync("/api/auth/register", new { email = AdminEmail, password });
        if (register.StatusCode != HttpStatusCode.Conflict)
        {
            register.EnsureSuccessStatusCode();
        }

        await GrantAdminAsync(AdminEmail);
        return await SignInAsync(client, AdminEmail, password);
    }

    /// <summary>Grants Admin the way the operator's <c>admin grant &lt;email&gt;</c> does.</summary>
    public async Task GrantAdminAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IAdminRoles>().GrantByEmailAsync(email);
    }

    private static async Task<AuthenticatedClient> SignInAsync(HttpClient client, string email, string password)
    {
        var token = await LoginAsync(client, email, password);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var user = await client.GetFromJsonAsync<UserDto>("/api/auth/user");
        return new AuthenticatedClient(client, email, password, token, user!.Id);
    }

    public static async Task<string> LoginAsync(HttpClient client, string email, string password)
    {
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var body = await login.Content.ReadFromJsonAsync<TokenDto>();
        return body!.AccessToken;
    }

    /// <summary>How long stopping the app may take before its test fails (instead of the whole run waiting for ever).</summary>
    public static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Stops the app, bounded by <see cref="StopLimit"/>: a hosted service or a job that ignores the shutdown fails the
    /// test that owns the app, with this message, and the rest of the suite goes on.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        var stopping = base.DisposeAsync().AsTask();
        if (await Task.WhenAny(stopping, Task.Delay(StopLimit)) != stopping)
        {
            throw new TimeoutException($"The test app on {DataDirectory} did not stop within {StopLimit.TotalSeconds:0} s: a hosted service, a job or a circuit ignores the shutdown.");
        }

        await stopping;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a background process; the OS temp cleaner takes it.
            }
        }
    }

    public sealed record TokenDto(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

    public sealed record UserDto(string Id, string Email, string Plan, int Credits, string[] Roles);
}

/// <summary>An HTTP client signed in as one freshly registered user.</summary>
public sealed record AuthenticatedClient(HttpClient Http, string Email, string Password, string AccessToken, string UserId);
