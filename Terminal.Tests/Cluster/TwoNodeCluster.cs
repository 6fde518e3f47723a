using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Terminal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Terminal.Tests.Cluster;

/// <summary>
/// Two real app processes (the built <c>Terminal.Web.dll</c>, started with <c>dotnet … --urls</c>) on one
/// data directory — one SQLite database, one key ring — and one <c>redis-server</c> on loopback. Quartz
/// stays in memory per node: Quartz 4.7 refuses a clustered AdoJobStore on SQLite, and there is no SQL
/// Server here, so "a trigger fires once across nodes" is not covered by this fixture. Node A starts (and
/// migrates) first, then node B. Ports are picked free; both processes are killed on dispose; their
/// console output is kept for <see cref="WriteLogs"/>.
/// </summary>
public sealed class TwoNodeCluster : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public TwoNodeCluster()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "clip-terminal-tests", "cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        A = new Node("node-a");
        B = new Node("node-b");
    }

    public string DataDirectory { get; }

    public Node A { get; }

    public Node B { get; }

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        try
        {
            await A.StartAsync(this);
            await B.StartAsync(this);
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop what did start.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        B.Kill();
        A.Kill();
        await _redis.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting process; the OS temp cleaner takes it.
        }
    }

    /// <summary>The tail of both nodes' output, for the test log (read when a test fails).</summary>
    public void WriteLogs(ITestOutputHelper output, int lines = 150)
    {
        foreach (var node in new[] { A, B })
        {
            output.WriteLine($"----- {node.Name} (last {lines} lines) -----");
            foreach (var line in node.Log.TakeLast(lines))
            {
                output.WriteLine(line);
            }
        }
    }

    /// <summary>One app process.</summary>
    public sealed class Node(string name)
    {
        private Process? _process;

        public string Name { get; } = name;

        public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

        public ConcurrentQueue<string> Log { get; } = new();

        public bool IsRunning => _process is { HasExited: false };

#pragma warning disable CA2000 // the handler is owned and disposed by the returned HttpClient (disposeHandler: true)
        public HttpClient CreateClient(CookieContainer? cookies = null) =>
            new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() })
            {
                BaseAddress = BaseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };
#pragma warning restore CA2000

        internal async Task StartAsync(TwoNodeCluster cluster)
        {
            var port = FreePort();
            BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            var web = WebOutputDirectory();
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = web };
            start.ArgumentList.Add(Path.Combine(web, "Terminal.Web.dll"));
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add($"http://127.0.0.1:{port}");
            var settings = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Testing",
                ["Terminal__DataDirectory"] = cluster.DataDirectory,
                ["Terminal__Redis"] = cluster._redis.Configuration,
                ["Terminal__DemoFeed__Enabled"] = "false",
                ["Terminal__Throttling__RegistrationsPerAddress"] = "100000",
                ["Terminal__Throttling__FailedLoginsPerAddress"] = "100000",
                ["Logging__LogLevel__Default"] = "Information",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            };
            foreach (var (key, value) in settings)
            {
                start.Environment[key] = value;
            }

            _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();

            using var probe = CreateClient();
            await Wait.UntilAsync(async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{string.Join('\n', Log.TakeLast(60))}");
                }

                try
                {
                    return (await probe.GetAsync("/login")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), $"{Name} serves /login on port {port}");
        }

        /// <summary>Kills the process at once (no graceful shutdown: the node "dies").</summary>
        public void Kill()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            Log.Enqueue(line);
            while (Log.Count > 2000 && Log.TryDequeue(out _))
            {
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        /// <summary><c>Terminal.Web/bin/&lt;Configuration&gt;/net10.0</c> of this checkout (test.sh builds the solution first).</summary>
        private static string WebOutputDirectory()
        {
            var tests = AppContext.BaseDirectory; // …/Terminal.Tests/bin/Release/net10.0/
            var framework = new DirectoryInfo(tests).Name;
            var configuration = new DirectoryInfo(tests).Parent!.Name;
            var root = new DirectoryInfo(tests);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Terminal.sln")))
            {
                root = root.Parent;
            }

            var web = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Terminal.sln not found above " + tests), "Terminal.Web", "bin", configuration, framework);
            return File.Exists(Path.Combine(web, "Terminal.Web.dll"))
                ? web
                : throw new InvalidOperationException($"{web}/Terminal.Web.dll is missing: build Terminal.Web ({configuration}) first.");
        }
    }
}
