using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using Terminal.Jobs.Scheduling;

namespace Terminal.Tests.Jobs.Scheduling;

/// <summary>
/// Stopping the app with a job still running: the job gets its grace, is then interrupted, and one that ignores even
/// that cannot hold the process past the host's shutdown timeout.
/// </summary>
public sealed class SchedulerShutdownTests
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task AJobStillRunning_IsInterruptedAfterItsGrace_AndTheHostStops()
    {
        using var probe = new Probe();
        using var host = await StartRunningAsync<WaitsForItsTokenJob>(probe, graceSeconds: 1);
        var watch = Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        (await probe.Interrupted.Task.WaitAsync(TimeSpan.FromSeconds(1))).Should().BeTrue("the job's token fired");
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(0.8), "it had its grace first")
            .And.BeLessThan(ShutdownTimeout, "once interrupted it ended, so the host did not wait for its timeout");
        probe.Log.Should().Contain(l => l.Contains("interrupting it", StringComparison.Ordinal) && l.Contains("test.waits", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AJobThatIgnoresItsToken_CannotHoldTheHost_PastItsShutdownTimeout()
    {
        using var probe = new Probe();
        using var host = await StartRunningAsync<IgnoresItsTokenJob>(probe, graceSeconds: 1);
        var watch = Stopwatch.StartNew();
        var stop = host.StopAsync();

        (await Task.WhenAny(stop, Task.Delay(ShutdownTimeout + TimeSpan.FromSeconds(10)))).Should().BeSameAs(stop, "the host stops without the job");
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(0.8));
        probe.Log.Should().Contain(l => l.Contains("did not end within the host's shutdown timeout", StringComparison.Ordinal));
        probe.Release.TrySetResult();
    }

    [Fact]
    public async Task AJobThatEndsWithinItsGrace_IsNotInterrupted()
    {
        using var probe = new Probe();
        using var host = await StartRunningAsync<EndsSoonJob>(probe, graceSeconds: 5);
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        probe.Finished.Task.IsCompletedSuccessfully.Should().BeTrue("it finished its work");
        probe.Interrupted.Task.IsCompleted.Should().BeFalse();
        probe.Log.Should().NotContain(l => l.Contains("interrupting", StringComparison.Ordinal));
    }

    private static readonly JobKey Key = new("waits", "test");

    /// <summary>A host with the scheduler and its shutdown guard, its one job already running.</summary>
    private static async Task<IHost> StartRunningAsync<TJob>(Probe probe, int graceSeconds)
        where TJob : class, IJob
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(probe);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.Configure<SchedulerOptions>(o => o.ShutdownGraceSeconds = graceSeconds);
        builder.Logging.ClearProviders().AddProvider(probe);
        builder.AddQuartz(q =>
        {
            q.UseInMemoryStore(_ => { });
            q.AddJob<TJob>(j => j.WithIdentity(Key).StoreDurably());
        });
        builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHostedService<SchedulerShutdown>();
        var host = builder.Build();
        await host.StartAsync();
        await (await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).TriggerJob(Key);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return host;
    }

    public sealed class Probe : ILoggerProvider
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Interrupted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(Probe probe) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                probe.Log.Enqueue(formatter(state, exception));
        }
    }

    public sealed class WaitsForItsTokenJob(Probe probe) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            probe.Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                probe.Interrupted.TrySetResult(true);
            }
        }
    }

    public sealed class IgnoresItsTokenJob(Probe probe) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            probe.Started.TrySetResult();
            await probe.Release.Task;
        }
    }

    public sealed class EndsSoonJob(Probe probe) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            probe.Started.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
                probe.Finished.TrySetResult();
            }
            catch (OperationCanceledException)
            {
                probe.Interrupted.TrySetResult(true);
            }
        }
    }
}
