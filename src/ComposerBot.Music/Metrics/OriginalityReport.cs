namespace ComposerBot.Music.Metrics;

/// <summary>
/// How much of a melody the training set already has: the longest run of symbols (intervals with
/// lengths) it shares with any one training piece, which piece, and the share of its 8-grams that are new.
/// </summary>
public sealed record OriginalityReport(int LongestSharedRun, string? SharedWith, double NovelEightGramShare);
