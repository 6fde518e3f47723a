using Terminal.Core.Insights;

namespace Terminal.Data.Insights;

/// <summary>A stored <see cref="RejectedAnswer"/> (ADMIN "Model answers").</summary>
public sealed class RejectedModelAnswer
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public required string Model { get; set; }

    public required string Reason { get; set; }

    public string? Answer { get; set; }
}

internal sealed class RejectedModelAnswerConfiguration : IEntityTypeConfiguration<RejectedModelAnswer>
{
    public void Configure(EntityTypeBuilder<RejectedModelAnswer> builder)
    {
        builder.ToTable("RejectedModelAnswers");
        builder.Property(a => a.Model).HasMaxLength(RejectedAnswers.MaxModelChars);
        builder.Property(a => a.Reason).HasMaxLength(RejectedAnswers.MaxReasonChars);
        builder.Property(a => a.Answer).HasMaxLength(RejectedAnswers.MaxAnswerChars);
        builder.HasIndex(a => a.At);
    }
}

/// <summary>
/// <see cref="IRejectedAnswerStore"/> over the database. Retention is applied on write: rejections are
/// rare (one per refused recommendation answer, and answers are cached per facts hash), so the delete
/// that follows each insert is cheap and no separate maintenance job is needed to bound the table.
/// </summary>
public sealed class RejectedAnswerStore(IDbContextFactory<TerminalDbContext> dbFactory) : IRejectedAnswerStore
{
    public async Task AddAsync(RejectedAnswer answer, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.RejectedModelAnswers.Add(new RejectedModelAnswer
        {
            At = answer.At,
            Model = Cut(answer.Model, RejectedAnswers.MaxModelChars),
            Reason = Cut(answer.Reason, RejectedAnswers.MaxReasonChars),
            Answer = answer.Answer is null ? null : Cut(answer.Answer, RejectedAnswers.MaxAnswerChars),
        });
        await db.SaveChangesAsync(cancellationToken);

        var oldest = answer.At - RejectedAnswers.KeepFor;
        await db.RejectedModelAnswers.Where(a => a.At < oldest).ExecuteDeleteAsync(cancellationToken);
        var lastKept = await db.RejectedModelAnswers.OrderByDescending(a => a.Id).Skip(RejectedAnswers.KeepRows - 1).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken);
        if (lastKept is { } id)
        {
            await db.RejectedModelAnswers.Where(a => a.Id < id).ExecuteDeleteAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<RejectedAnswer>> RecentAsync(int max, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RejectedModelAnswers.AsNoTracking().OrderByDescending(a => a.Id).Take(max)
            .Select(a => new RejectedAnswer(a.At, a.Model, a.Reason, a.Answer)).ToListAsync(cancellationToken);
    }

    /// <summary>The text, or its first <c>max − 1</c> characters and an ellipsis.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
