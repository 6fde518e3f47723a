using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Terminal.Jobs.Scheduling;

/// <summary>
/// Where the jobs that belong to each node go: its heartbeat (the <c>/health</c> stall check) and caches
/// of its own memory (<c>insights-refresh</c>). With the in-memory store the main scheduler is per node
/// already, so they go there. With a clustered store a trigger fires on one node only, so they go on a
/// second, in-memory Quartz scheduler named <see cref="Name"/> that every node runs for itself (the
/// hosted service starts and stops every scheduler in the container).
/// </summary>
public static class NodeScheduler
{
    /// <summary>The per-node scheduler's name (registered only when the main store is clustered).</summary>
    public const string Name = "node-local";

    /// <summary>
    /// Threads of the per-node scheduler: its jobs are few and never overlap themselves, but a market poll waiting on
    /// a slow platform must not hold back the heartbeat (whose silence /health reads as a stall).
    /// </summary>
    public const int Threads = 4;

    /// <summary>Registers jobs that must fire on every node (see the type's summary).</summary>
    public static IHostApplicationBuilder AddPerNodeJobs(this IHostApplicationBuilder builder, Action<IQuartzBuilder> configure)
    {
        var options = builder.Configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        if (!options.IsClustered)
        {
            builder.AddQuartz(configure);
            return builder;
        }

        // Quartz registers a named scheduler once; later features add their jobs through the builder
        // the first registration handed out (its AddJob/AddTrigger only configure options by name).
        var node = builder.Services.Select(d => d.ImplementationInstance).OfType<NodeSchedulerBuilder>().FirstOrDefault();
        if (node is null)
        {
            IQuartzBuilder? registered = null;
            builder.AddQuartz(Name, q =>
            {
                q.UseInMemoryStore(_ => { });
                q.UseDefaultThreadPool(Threads);
                // ADMIN's last result and run pushes cover this scheduler's jobs too.
                q.AddJobListener(sp => sp.GetRequiredService<Terminal.Jobs.Admin.JobRunHistory>(), [GroupMatcher<JobKey>.AnyGroup()]);
                registered = q;
            });
            node = new NodeSchedulerBuilder(registered ?? throw new InvalidOperationException("Quartz did not configure the per-node scheduler."));
            builder.Services.AddSingleton(node);
        }

        configure(node.Quartz);
        return builder;
    }

    /// <summary>Whether <paramref name="quartz"/> is the per-node scheduler's builder (a clustered store's second scheduler).</summary>
    internal static bool IsPerNodeBuilder(IQuartzBuilder quartz) =>
        quartz.Services.Select(d => d.ImplementationInstance).OfType<NodeSchedulerBuilder>().Any(n => ReferenceEquals(n.Quartz, quartz));

    private sealed class NodeSchedulerBuilder(IQuartzBuilder quartz)
    {
        public IQuartzBuilder Quartz { get; } = quartz;
    }

    /// <summary>The scheduler that runs this node's per-node jobs: the named one when clustered, else the main one.</summary>
    public static async Task<IScheduler> GetAsync(ISchedulerFactory schedulers, bool clustered, CancellationToken cancellationToken = default) =>
        clustered
            ? await schedulers.GetRequiredScheduler(Name, cancellationToken)
            : await schedulers.GetScheduler(cancellationToken);
}
