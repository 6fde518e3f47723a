using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Terminal.Jobs.Admin;

/// <summary>The outcome of a job's latest run, as ADMIN shows it.</summary>
/// <param name="Result"><c>succeeded</c>, <c>failed: …</c> or <c>vetoed</c>.</param>
public sealed record JobRunRecord(string Result, long DurationMs, DateTimeOffset FinishedAt);

/// <summary>
/// A global job listener that remembers each job's last result and duration (in process: a node of
/// a cluster sees the runs it executed). ADMIN reads it next to Quartz's own trigger times.
/// </summary>
public sealed class JobRunHistory : IJobListener
{
    private readonly ConcurrentDictionary<JobKey, JobRunRecord> _last = new();

    public string Name => nameof(JobRunHistory);

    /// <summary>Raised after every run (ADMIN refreshes on it).</summary>
    public event Action<JobKey, JobRunRecord>? Recorded;

    public JobRunRecord? LastRun(JobKey key) => _last.TryGetValue(key, out var run) ? run : null;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        Record(context.JobDetail.Key, new JobRunRecord("vetoed", 0, DateTimeOffset.UtcNow));
        return ValueTask.CompletedTask;
    }

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        var result = jobException is null ? "succeeded" : "failed: " + jobException.GetBaseException().Message;
        Record(context.JobDetail.Key, new JobRunRecord(result, (long)context.JobRunTime.TotalMilliseconds, DateTimeOffset.UtcNow));
        return ValueTask.CompletedTask;
    }

    private void Record(JobKey key, JobRunRecord run)
    {
        _last[key] = run;
        Recorded?.Invoke(key, run);
    }
}

/// <summary>Quartz registration of the ADMIN console's job listener.</summary>
public static class AdminJobs
{
    public static IQuartzBuilder AddAdminJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        quartz.Services.AddSingleton<JobRunHistory>();
        quartz.AddJobListener(sp => sp.GetRequiredService<JobRunHistory>(), [GroupMatcher<JobKey>.AnyGroup()]);
        return quartz;
    }
}
