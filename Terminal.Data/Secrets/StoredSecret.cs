namespace Terminal.Data.Secrets;

/// <summary>A secret of the local store: its reference and the Data Protection ciphertext — never plain text.</summary>
public sealed class StoredSecret
{
    public required string Reference { get; set; }

    public required string Ciphertext { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class StoredSecretConfiguration : IEntityTypeConfiguration<StoredSecret>
{
    public void Configure(EntityTypeBuilder<StoredSecret> builder)
    {
        builder.ToTable("Secrets");
        builder.HasKey(s => s.Reference);
        builder.Property(s => s.Reference).HasMaxLength(127);
    }
}
