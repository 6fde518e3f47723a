using Terminal.Core.Billing;

namespace Terminal.Data;

public partial class TerminalDbContext
{
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ProcessedStripeEvent> ProcessedStripeEvents => Set<ProcessedStripeEvent>();
    public DbSet<BillingSubscription> BillingSubscriptions => Set<BillingSubscription>();
}
