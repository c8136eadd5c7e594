using ComposerBot.Music.Forms;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Music.Metrics;

/// <summary>
/// One melody as a vector of piece-level features for the two-sample classifier: the scalar mgeval
/// features (notes counted per bar), the note-length histogram, the structure profile, the RL Tuner
/// figures of that one melody, and MusPy's pitch entropy and scale consistency.
/// </summary>
public static class PieceFeatures
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "used_pitches", "used_pitches_per_bar", "notes_per_bar", "pitch_range", "mean_pitch_shift", "mean_ioi",
        .. DurationClass.Names.Select(n => $"length_{n}"),
        .. StructureProfile.Names,
        "starts_with_tonic", "leaps_resolved", "notes_in_motif", "notes_in_repeated_motif", "excessive_repeats", "not_in_key",
        "autocorrelation_1", "autocorrelation_2", "autocorrelation_3", "unique_max", "unique_min",
        "pitch_entropy", "scale_consistency",
    ];

    public static double[] Of(LeadSheet sheet)
    {
        var mgeval = MelodyFeatures.Compute(sheet);
        var theory = TheoryProfile.Count(sheet);
        double Share(int part) => theory.Notes == 0 ? 0 : (double)part / theory.Notes;
        double[] values =
        [
            mgeval["total_used_pitch"][0], mgeval["bar_used_pitch"][0], (double)sheet.Melody.Count / Math.Max(1, sheet.Bars),
            mgeval["pitch_range"][0], mgeval["avg_pitch_shift"][0], mgeval["avg_IOI"][0],
            .. mgeval["note_length_hist"],
            .. StructureProfile.Of(sheet).Values(),
            theory.StartsWithTonic ? 1 : 0, theory.Leaps == 0 ? 1 : (double)theory.LeapsSteppedBack / theory.Leaps,
            Share(theory.NotesInMotif), Share(theory.NotesInRepeatedMotif), Share(theory.ExcessivelyRepeated), Share(theory.NotInKey),
            theory.Autocorrelation[0], theory.Autocorrelation[1], theory.Autocorrelation[2], theory.UniqueMax ? 1 : 0, theory.UniqueMin ? 1 : 0,
            MusPyMetrics.PitchEntropy(sheet.Melody), MusPyMetrics.ScaleConsistency(sheet.Melody),
        ];
        return values;
    }
}
