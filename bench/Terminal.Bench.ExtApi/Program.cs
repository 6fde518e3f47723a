// SPEC §7: "External API trends endpoint: p99 ≤ 20 ms at 1,000 requests/s on 2 cores".
// Starts the built web app (Release) as its own process on the demo market, makes an Enterprise key
// with the limit lifted out of the way, then sends an open-loop 1,000 requests/s to
// /ext-api/v1/trends for the measured period and reports latency percentiles. The load generator runs
// on the same machine, so it competes with the server for the same cores.
//
//   dotnet build Terminal.Web -c Release && dotnet run --project bench/Terminal.Bench.ExtApi -c Release [-- seconds rate]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var root = FindRepositoryRoot();
var webDll = Path.Combine(root, "Terminal.Web", "bin", "Release", "net10.0", "Terminal.Web.dll");
if (!File.Exists(webDll))
{
    await Console.Error.WriteLineAsync($"Build the app first: dotnet build Terminal.Web -c Release ({webDll} is missing).");
    return 2;
}

var port = FreePort();
var dataDir = Path.Combine(Path.GetTempPath(), "clip-terminal-extapi-bench-" + Guid.NewGuid().ToString("N")[..8]);
var start = new ProcessStartInfo("dotnet", $"\"{webDll}\"")
{
    WorkingDirectory = root,
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    UseShellExecute = false,
};
start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
start.Environment["Terminal__DataDirectory"] = dataDir;
start.Environment["Terminal__DemoFeed__Enabled"] = "true";
start.Environment["Terminal__Plans__Enterprise__ApiRequestsPerMinute"] = "10000000";
start.Environment["Logging__LogLevel__Default"] = "Warning";
using var server = Process.Start(start)!;
server.OutputDataReceived += (_, _) => { };
server.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("[server] " + e.Data); } };
server.BeginOutputReadLine();
server.BeginErrorReadLine();

try
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
    using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    await WaitForHealthAsync(http, server);

    var register = await http.PostAsJsonAsync("/api/auth/register", new { email = "bench@bench.local", password = "Bench-passw0rd" });
    register.EnsureSuccessStatusCode();
    // The first admin comes from the server's command line (SPEC §4), against the same data directory.
    var grant = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false };
    foreach (var arg in new[] { webDll, "admin", "grant", "bench@bench.local" })
    {
        grant.ArgumentList.Add(arg);
    }

    grant.Environment["Terminal__DataDirectory"] = dataDir;
    grant.Environment["Logging__LogLevel__Default"] = "Warning";
    using (var granting = Process.Start(grant)!)
    {
        await granting.WaitForExitAsync();
        if (granting.ExitCode != 0)
        {
            throw new InvalidOperationException($"admin grant exited with {granting.ExitCode}");
        }
    }

    var login = await (await http.PostAsJsonAsync("/api/auth/login", new { email = "bench@bench.local", password = "Bench-passw0rd" })).Content.ReadFromJsonAsync<JsonElement>();
    #pragma warning disable CA2000 // the handler is owned and disposed by session (HttpClient disposeHandler: true)
    using var session = new HttpClient(new SocketsHttpHandler()) { BaseAddress = http.BaseAddress };
    #pragma warning restore CA2000
    session.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
    var me = await session.GetFromJsonAsync<JsonElement>("/api/auth/user");
    (await session.PutAsJsonAsync($"/api/admin/users/{me.GetProperty("id").GetString()}/plan", new { plan = "enterprise" })).EnsureSuccessStatusCode();
    var key = (await (await session.PostAsJsonAsync("/api/keys", new { name = "bench" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    http.DefaultRequestHeaders.Add("X-Api-Key", key);

    const string path = "/ext-api/v1/trends?type=creators&platform=all&period=24h&limit=50";
    var sample = await http.GetAsync(path);
    var body = await sample.Content.ReadFromJsonAsync<JsonElement>();
    Console.WriteLine($"Sample: {(int)sample.StatusCode}, {body.GetProperty("data").GetArrayLength()} items");

    await RunAsync(http, path, rate, 3, record: false); // warm-up (JIT, caches, connection pool)
    var (latencies, errors, lateStarts) = await RunAsync(http, path, rate, seconds, record: true);
    latencies.Sort();
    double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
    var line = string.Create(CultureInfo.InvariantCulture,
        $"{rate} req/s × {seconds} s: {latencies.Count} ok, {errors} errors, p50 {P(0.50):0.00} ms, p90 {P(0.90):0.00} ms, p99 {P(0.99):0.00} ms, max {latencies[^1]:0.00} ms; generator late by >5 ms on {lateStarts} sends");
    Console.WriteLine(line);
    Console.WriteLine(P(0.99) <= 20 ? "Bar (p99 ≤ 20 ms): met" : "Bar (p99 ≤ 20 ms): NOT met");
    return 0;
}
finally
{
    server.Kill(entireProcessTree: true);
    await server.WaitForExitAsync();
    try
    {
        Directory.Delete(dataDir, recursive: true);
    }
    catch (IOException)
    {
        // a file still held; the temp cleaner takes it
    }
}

static async Task<(List<double> Latencies, int Errors, int LateStarts)> RunAsync(HttpClient http, string path, int rate, int seconds, bool record)
{
    var total = rate * seconds;
    var latencies = new List<double>(total);
    var errors = 0;
    var late = 0;
    var gate = new Lock();
    var tasks = new List<Task>(total);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < total; i++)
    {
        // Open loop: request i is due at i / rate seconds, whatever happened to the earlier ones.
        var due = TimeSpan.FromSeconds((double)i / rate);
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }
        else if (wait < TimeSpan.FromMilliseconds(-5))
        {
            late++;
        }

        tasks.Add(Task.Run(async () =>
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                lock (gate)
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        if (record)
                        {
                            latencies.Add(ms);
                        }
                    }
                    else
                    {
                        errors++;
                    }
                }
            }
            catch (HttpRequestException)
            {
                lock (gate)
                {
                    errors++;
                }
            }
        }));
    }

    await Task.WhenAll(tasks);
    return (latencies, errors, late);
}

static async Task WaitForHealthAsync(HttpClient http, Process server)
{
    var deadline = DateTime.UtcNow.AddMinutes(2);
    while (DateTime.UtcNow < deadline && !server.HasExited)
    {
        try
        {
            if ((await http.GetAsync("/health")).IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // not listening yet
        }

        await Task.Delay(250);
    }

    throw new TimeoutException(server.HasExited ? "The app exited at start (see [server] lines)." : "The app did not become healthy within 2 minutes.");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRepositoryRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Terminal.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
}
