namespace Terminal.Jobs.Scheduling;

public enum SchedulerStore
{
    /// <summary>Embedded default: Quartz RAM store (jobs that must survive a restart persist their own state in the database).</summary>
    Memory = 0,

    /// <summary>Production: Quartz AdoJobStore on SQL Server, clustered.</summary>
    SqlServer = 1,

    /// <summary>
    /// Quartz AdoJobStore, clustered, on its own SQLite file <c>{Terminal:DataDirectory}/scheduler.db</c>: several
    /// nodes on one machine (or one shared data directory) fire each trigger once (<see cref="ClusteredSqliteDelegate"/>).
    /// </summary>
    Sqlite = 2,
}

/// <summary><c>Terminal:Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Terminal:Scheduler";

    public SchedulerStore Store { get; set; } = SchedulerStore.Memory;

    /// <summary>Whether the store is shared by nodes (a trigger fires on one of them).</summary>
    public bool IsClustered => Store != SchedulerStore.Memory;

    /// <summary>How long a clustered node waits for another node's scheduler transaction on the SQLite store before failing the statement.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 600)]
    public int SqliteBusyTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// This node's name in a clustered store (<c>QRTZ_SCHEDULER_STATE.INSTANCE_NAME</c>, the execution
    /// history's <c>INSTANCE_NAME</c>); <c>AUTO</c> makes a unique one from the host name and the time.
    /// Every node of a cluster needs its own.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Required]
    public string InstanceId { get; set; } = "AUTO";

    /// <summary>How often a clustered node checks in; a node silent for longer has its jobs recovered by another.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int ClusterCheckinSeconds { get; set; } = 7;

    /// <summary>Quartz worker threads.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How often the heartbeat job fires.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>No heartbeat for this long makes <c>/health</c> report the scheduler <c>degraded</c>.</summary>
    [System.ComponentModel.DataAnnotations.Range(2, 86400)]
    public int StallSeconds { get; set; } = 30;

    /// <summary>
    /// At shutdown, how long running jobs may finish by themselves before they are interrupted (their cancellation
    /// token fires). Whatever still runs when the host's shutdown timeout ends is left behind, so a job that never
    /// ends cannot hold the process.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 3600)]
    public int ShutdownGraceSeconds { get; set; } = 10;
}
