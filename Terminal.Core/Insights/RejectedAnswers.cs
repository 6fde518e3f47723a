namespace Terminal.Core.Insights;

/// <summary>A model answer the number check (or the shape check) refused: when, which model, why, and what it said.</summary>
/// <param name="Answer">The model's text as received (cut to <see cref="RejectedAnswers.MaxAnswerChars"/>); null when no answer arrived.</param>
public sealed record RejectedAnswer(DateTime At, string Model, string Reason, string? Answer);

/// <summary>Refused model answers, kept for ADMIN (implemented in Terminal.Data/Insights).</summary>
public interface IRejectedAnswerStore
{
    /// <summary>Stores one answer and drops what falls out of retention (<see cref="RejectedAnswers.KeepFor"/> before its time, beyond <see cref="RejectedAnswers.KeepRows"/>).</summary>
    Task AddAsync(RejectedAnswer answer, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="max"/> answers, newest first.</summary>
    Task<IReadOnlyList<RejectedAnswer>> RecentAsync(int max, CancellationToken cancellationToken = default);
}

/// <summary>Limits of the rejected-answers log: it stays small however often a model misbehaves.</summary>
public static class RejectedAnswers
{
    /// <summary>Answers older than this (relative to the newest stored) are dropped.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);

    /// <summary>At most this many answers are kept (the newest).</summary>
    public const int KeepRows = 1_000;

    public const int MaxModelChars = 200;

    public const int MaxReasonChars = 2_000;

    public const int MaxAnswerChars = 4_000;
}
