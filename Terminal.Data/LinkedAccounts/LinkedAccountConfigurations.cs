using Terminal.Data.Accounts;

namespace Terminal.Data.LinkedAccounts;

internal sealed class PlatformCredentialConfiguration : IEntityTypeConfiguration<PlatformCredential>
{
    public void Configure(EntityTypeBuilder<PlatformCredential> builder)
    {
        builder.ToTable("PlatformCredentials");
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.Property(c => c.ClientId).HasMaxLength(256);
        builder.Property(c => c.ClientSecretRef).HasMaxLength(127);
        builder.Property(c => c.Reason).HasMaxLength(500);
        builder.HasIndex(c => new { c.UserId, c.Platform }).IsUnique();
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlatformAccountConfiguration : IEntityTypeConfiguration<PlatformAccount>
{
    public void Configure(EntityTypeBuilder<PlatformAccount> builder)
    {
        builder.ToTable("PlatformAccounts");
        builder.Property(a => a.UserId).HasMaxLength(450);
        builder.Property(a => a.Reason).HasMaxLength(500);
        builder.Property(a => a.ExternalId).HasMaxLength(128);
        builder.Property(a => a.DisplayName).HasMaxLength(256);
        builder.Property(a => a.Scopes).HasMaxLength(1000);
        builder.Property(a => a.AccessTokenRef).HasMaxLength(127);
        builder.Property(a => a.RefreshTokenRef).HasMaxLength(127);
        builder.HasIndex(a => new { a.UserId, a.Platform }).IsUnique();
        builder.HasIndex(a => new { a.Status, a.NextSyncAt });
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OAuthLinkStateConfiguration : IEntityTypeConfiguration<OAuthLinkState>
{
    public void Configure(EntityTypeBuilder<OAuthLinkState> builder)
    {
        builder.ToTable("OAuthLinkStates");
        builder.HasKey(s => s.StateHash);
        builder.Property(s => s.StateHash).HasMaxLength(64);
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.Property(s => s.RedirectUri).HasMaxLength(1000);
        builder.HasIndex(s => s.ExpiresAt);
        builder.HasOne<TerminalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountSnapshotConfiguration : IEntityTypeConfiguration<AccountSnapshot>
{
    public void Configure(EntityTypeBuilder<AccountSnapshot> builder)
    {
        builder.ToTable("AccountSnapshots");
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.HasIndex(s => new { s.UserId, s.At });
        builder.HasIndex(s => new { s.PlatformAccountId, s.At });
        builder.HasOne<PlatformAccount>().WithMany().HasForeignKey(s => s.PlatformAccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlatformPostConfiguration : IEntityTypeConfiguration<PlatformPost>
{
    public void Configure(EntityTypeBuilder<PlatformPost> builder)
    {
        builder.ToTable("PlatformPosts");
        builder.Property(p => p.UserId).HasMaxLength(450);
        builder.Property(p => p.ExternalId).HasMaxLength(128);
        builder.Property(p => p.Title).HasMaxLength(500);
        builder.Property(p => p.Url).HasMaxLength(1000);
        builder.HasIndex(p => new { p.PlatformAccountId, p.ExternalId }).IsUnique();
        builder.HasIndex(p => new { p.UserId, p.PublishedAt });
        builder.HasOne<PlatformAccount>().WithMany().HasForeignKey(p => p.PlatformAccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IngestionRunConfiguration : IEntityTypeConfiguration<IngestionRun>
{
    public void Configure(EntityTypeBuilder<IngestionRun> builder)
    {
        builder.ToTable("IngestionRuns");
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.Property(r => r.Trigger).HasMaxLength(16);
        builder.Property(r => r.Error).HasMaxLength(1000);
        builder.HasIndex(r => r.StartedAt);
        builder.HasIndex(r => new { r.UserId, r.Platform, r.StartedAt });
    }
}
