using Terminal.Data.MarketSources;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<MarketSourceRow> MarketSources => Set<MarketSourceRow>();
    public DbSet<MonitoredChannelRow> MonitoredChannels => Set<MonitoredChannelRow>();
    public DbSet<TrackedVideoRow> TrackedVideos => Set<TrackedVideoRow>();
    public DbSet<SourceRunRow> MarketSourceRuns => Set<SourceRunRow>();
    public DbSet<MarketContributionRow> MarketContributions => Set<MarketContributionRow>();
}
