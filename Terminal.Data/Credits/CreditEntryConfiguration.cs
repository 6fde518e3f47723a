using Terminal.Core.Credits;
using Terminal.Data.Accounts;

namespace Terminal.Data.Credits;

internal sealed class CreditEntryConfiguration : IEntityTypeConfiguration<CreditEntry>
{
    public void Configure(EntityTypeBuilder<CreditEntry> builder)
    {
        builder.ToTable("CreditLedger");
        builder.Property(e => e.UserId).HasMaxLength(450);
        builder.Property(e => e.Reason).HasConversion<int>();
        builder.Property(e => e.Reference).HasMaxLength(255);
        builder.Property(e => e.Description).HasMaxLength(CreditWords.MaxLength);
        builder.HasIndex(e => e.UserId);
        // A grant or refund for the same thing is applied once, whoever retries it.
        builder.HasIndex(e => new { e.UserId, e.Reason, e.Reference }).IsUnique();
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
