using Terminal.Data.Reports;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<ReportEntity> Reports => Set<ReportEntity>();
    public DbSet<ReportScheduleEntity> ReportSchedules => Set<ReportScheduleEntity>();
}
