namespace Terminal.Jobs.Scheduling;

public enum SchedulerStore
{
    /// <summary>Embedded default: Quartz RAM store (jobs that must survive a restart persist their own state in the database).</summary>
    Memory = 0,

    /// <summary>Production: Quartz AdoJobStore on SQL Server, clustered.</summary>
    SqlServer = 1,
}

/// <summary><c>Terminal:Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Terminal:Scheduler";

    public SchedulerStore Store { get; set; } = SchedulerStore.Memory;

    /// <summary>Quartz worker threads.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How often the heartbeat job fires.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>No heartbeat for this long makes <c>/health</c> report the scheduler <c>degraded</c>.</summary>
    [System.ComponentModel.DataAnnotations.Range(2, 86400)]
    public int StallSeconds { get; set; } = 30;
}
