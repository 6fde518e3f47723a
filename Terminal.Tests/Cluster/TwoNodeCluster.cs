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
/// runs clustered on <c>{data}/scheduler.db</c> (<c>Terminal:Scheduler:Store=Sqlite</c>, instance ids
/// <c>node-a</c>/<c>node-b</c>, check-in every <see cref="CheckinSeconds"/> s), and the linked-account
/// maintenance job repeats every <see cref="MaintenanceSeconds"/> s, a cluster-wide schedule the tests
/// count. Node A starts (and migrates) first, then node B. Ports are picked free; both processes are killed on dispose; their
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

    /// <summary>The nodes' cluster check-in interval: a node silent for longer is recovered by the other.</summary>
    public const int CheckinSeconds = 2;

    /// <summary>The interval of <c>linked-accounts/linked-accounts-maintenance</c> (a cluster-wide trigger).</summary>
    public const int MaintenanceSeconds = 5;

    public string DataDirectory { get; }

    /// <summary>The clustered Quartz store both nodes share.</summary>
    public string SchedulerDatabase => Path.Combine(DataDirectory, "scheduler.db");

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

    /// <summary>The environment of a node process (and of the <c>admin</c> command run beside them).</summary>
    internal Dictionary<string, string> Environment(string name) => new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Terminal__DataDirectory"] = DataDirectory,
            ["Terminal__Redis"] = _redis.Configuration,
            ["Terminal__DemoFeed__Enabled"] = "false",
            ["Terminal__Scheduler__Store"] = "Sqlite",
            ["Terminal__Scheduler__InstanceId"] = name,
            ["Terminal__Scheduler__ClusterCheckinSeconds"] = CheckinSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Terminal__LinkedAccounts__ScanIntervalSeconds"] = MaintenanceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Terminal__Throttling__RegistrationsPerAddress"] = "100000",
            ["Terminal__Throttling__FailedLoginsPerAddress"] = "100000",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };

    /// <summary>Grants Admin to a registered account the operator's way: <c>dotnet Terminal.Web.dll admin grant &lt;email&gt;</c> on the shared data.</summary>
    public async Task GrantAdminAsync(string email)
    {
        var web = Node.WebOutputDirectory();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = web };
        start.ArgumentList.Add(Path.Combine(web, "Terminal.Web.dll"));
        start.ArgumentList.Add("admin");
        start.ArgumentList.Add("grant");
        start.ArgumentList.Add(email);
        foreach (var (key, value) in Environment("admin-cli"))
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"admin grant {email} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    /// <summary>One run of a job recorded in the clustered store's execution history (<c>QRTZ_EXECUTION_HISTORY</c>).</summary>
    public sealed record Execution(string Instance, string Trigger, string FireInstanceId, DateTimeOffset FiredAt);

    /// <summary>Every recorded run of the job, oldest first, read straight from <see cref="SchedulerDatabase"/>.</summary>
    public async Task<IReadOnlyList<Execution>> ExecutionsAsync(Quartz.JobKey job)
    {
        var runs = new List<Execution>();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(SchedulerConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT INSTANCE_NAME, TRIGGER_NAME, COALESCE(FIRE_INSTANCE_ID, ENTRY_ID), FIRED_TIME FROM QRTZ_EXECUTION_HISTORY WHERE JOB_GROUP = $group AND JOB_NAME = $name ORDER BY FIRED_TIME";
        command.Parameters.AddWithValue("$group", job.Group);
        command.Parameters.AddWithValue("$name", job.Name);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            runs.Add(new Execution(reader.GetString(0), reader.GetString(1), reader.GetString(2), FromStored(reader.GetInt64(3))));
        }

        return runs;
    }

    /// <summary>The instances checked in to the clustered store (<c>QRTZ_SCHEDULER_STATE</c>) with their last check-in.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> CheckedInAsync()
    {
        var nodes = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(SchedulerConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT INSTANCE_NAME, LAST_CHECKIN_TIME FROM QRTZ_SCHEDULER_STATE";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            nodes[reader.GetString(0)] = FromStored(reader.GetInt64(1));
        }

        return nodes;
    }

    /// <summary>The node names holding rows in <c>QRTZ_FIRED_TRIGGERS</c> (triggers a node has acquired or is executing).</summary>
    public async Task<IReadOnlyList<string>> FiredTriggerOwnersAsync()
    {
        var owners = new List<string>();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(SchedulerConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT INSTANCE_NAME FROM QRTZ_FIRED_TRIGGERS";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            owners.Add(reader.GetString(0));
        }

        return owners;
    }

    private string SchedulerConnectionString() => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
    {
        DataSource = SchedulerDatabase,
        Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Quartz's ADO store keeps times as UTC ticks (older layouts: Unix milliseconds).</summary>
    private static DateTimeOffset FromStored(long value) =>
        value > 100_000_000_000_000L ? new DateTimeOffset(value, TimeSpan.Zero) : DateTimeOffset.FromUnixTimeMilliseconds(value);

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

        /// <summary>When the node first answered: its scheduler had started and registered its triggers by then.</summary>
        public DateTimeOffset ServingSince { get; private set; }

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
            foreach (var (key, value) in cluster.Environment(Name))
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
            ServingSince = DateTimeOffset.UtcNow;
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
        internal static string WebOutputDirectory()
        {
            var tests = AppContext.BaseDirectory; // …/Terminal.Tests/bin/Release/net10.0/
            var framework = new DirectoryInfo(tests).Name;
            var configuration = new DirectoryInfo(tests).Parent!.Name;
            var web = Path.Combine(Terminal.Tests.Infrastructure.RepositoryRoot.Path, "Terminal.Web", "bin", configuration, framework);
            return File.Exists(Path.Combine(web, "Terminal.Web.dll"))
                ? web
                : throw new InvalidOperationException($"{web}/Terminal.Web.dll is missing: build Terminal.Web ({configuration}) first.");
        }
    }
}
