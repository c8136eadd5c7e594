using ComposerBot.Composition;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Studio;

/// <summary>
/// The originality guard: before anything is rendered, the melody is checked against the index of the
/// training melodies; one that shares a run of more than <paramref name="threshold"/> intervals with any of
/// them is written again with the next derived seed, up to <paramref name="attempts"/> melodies. When none
/// passes, the least-copying one is kept and the outcome says so. Deterministic for a seed.
/// </summary>
public sealed class OriginalityGuard(OriginalityIndex index, int threshold, int attempts)
{
    public int Threshold => threshold;

    /// <summary>The kept lead sheet (after <paramref name="shape"/>), its check, and how many were written.</summary>
    public (LeadSheet Sheet, OriginalityReport Originality, int Attempts) Compose(ILeadSheetGenerator generator, LeadSheetSpec spec, Func<LeadSheet, LeadSheet> shape, CancellationToken cancellationToken = default) =>
        Compose(generator, spec, shape, null, null, cancellationToken);

    /// <summary>
    /// As above, reporting the fraction of the tries used up (1 when a melody is kept), and the time spent
    /// sampling, shaping and checking in <paramref name="timings"/> when given.
    /// </summary>
    public (LeadSheet Sheet, OriginalityReport Originality, int Attempts) Compose(ILeadSheetGenerator generator, LeadSheetSpec spec, Func<LeadSheet, LeadSheet> shape, IProgress<double>? progress, PhaseTimings? timings = null, CancellationToken cancellationToken = default)
    {
        timings ??= new PhaseTimings(TimeProvider.System);
        (LeadSheet Sheet, OriginalityReport Originality)? best = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var seed = attempt == 1 ? spec.Seed : unchecked((spec.Seed * 1_000_003) + attempt);
            var generated = timings.Time("sampling", () => generator.Generate(spec with { Seed = seed }, cancellationToken));
            var sheet = timings.Time("shaping", () => shape(generated));
            var originality = timings.Time("originality check", () => index.Check(MelodySymbols.Of(sheet.Melody, LeadSheet.Resolution)));
            if (best is null || originality.LongestSharedRun < best.Value.Originality.LongestSharedRun)
            {
                best = (sheet, originality);
            }

            if (originality.LongestSharedRun <= threshold)
            {
                progress?.Report(1);
                return (sheet, originality, attempt);
            }

            progress?.Report((double)attempt / attempts);
        }

        progress?.Report(1);
        return (best!.Value.Sheet, best.Value.Originality, attempts);
    }
}
