using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Evaluation;

/// <summary>Section D over a set: the distribution of longest shared runs and the mean 8-gram novelty.</summary>
public sealed record OriginalitySummary(double MeanLongestRun, int MaxLongestRun, double ShareOverEight, double MeanNovelEightGrams)
{
    /// <summary>A shared run longer than this many intervals is a plausible copy.</summary>
    public const int CopyThreshold = 8;

    public static OriginalitySummary Of(IReadOnlyList<LeadSheet> sheets, OriginalityIndex index)
    {
        var reports = sheets.Select(s => index.Check(MelodySymbols.Of(s.Melody, LeadSheet.Resolution))).ToList();
        return new OriginalitySummary(
            reports.Average(r => r.LongestSharedRun),
            reports.Max(r => r.LongestSharedRun),
            (double)reports.Count(r => r.LongestSharedRun > CopyThreshold) / reports.Count,
            reports.Average(r => r.NovelEightGramShare));
    }
}
