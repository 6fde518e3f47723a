using Terminal.Data.Alerts;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<WatchlistRow> Watchlists => Set<WatchlistRow>();
    public DbSet<WatchlistItemRow> WatchlistItems => Set<WatchlistItemRow>();
    public DbSet<AlertRuleRow> AlertRules => Set<AlertRuleRow>();
    public DbSet<AlertFiringRow> AlertFirings => Set<AlertFiringRow>();
    public DbSet<WebhookEndpointRow> WebhookEndpoints => Set<WebhookEndpointRow>();
    public DbSet<WebhookDeliveryRow> WebhookDeliveries => Set<WebhookDeliveryRow>();
}
