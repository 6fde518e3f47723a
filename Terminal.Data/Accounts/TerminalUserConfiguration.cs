using Terminal.Data.Accounts;

namespace Terminal.Data.Accounts;

internal sealed class TerminalUserConfiguration : IEntityTypeConfiguration<TerminalUser>
{
    public void Configure(EntityTypeBuilder<TerminalUser> builder)
    {
        builder.Property(u => u.Plan).HasConversion<int>();
        builder.Property(u => u.StripeCustomerId).HasMaxLength(255);
        builder.Property(u => u.StripeSubscriptionId).HasMaxLength(255);
        builder.HasIndex(u => u.StripeCustomerId);
    }
}
