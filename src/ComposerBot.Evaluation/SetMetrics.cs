using ComposerBot.Music;
using ComposerBot.Music.Forms;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Evaluation;

/// <summary>Every per-set figure of the report for one set of lead sheets.</summary>
public sealed record SetMetrics(
    string Name,
    int Pieces,
    int Notes,
    TheoryProfile Theory,
    IReadOnlyDictionary<string, double> MusPy,
    OriginalitySummary? Originality,
    double? NgramNllPerNote,
    double[] PitchClassHistogram,
    double[] IntervalHistogram,
    double[] NoteLengthHistogram)
{
    /// <summary>The mean structure figures of the set's melodies (repetition, structureness, groove, leaps).</summary>
    public required StructureProfile Structure { get; init; }

    /// <summary>Intervals from -12 to +12 semitones; larger ones fall into the end bins.</summary>
    public const int IntervalRange = 12;

    public static SetMetrics Compute(string name, IReadOnlyList<LeadSheet> sheets, OriginalityIndex? index, Generation.NGram.NGramModel? ngram)
    {
        var scores = sheets.Select(s => s.ToScore()).ToList();
        var allNotes = sheets.SelectMany(s => s.Melody).ToList();
        var muspy = new Dictionary<string, double>
        {
            ["scale_consistency"] = sheets.Average(s => MusPyMetrics.ScaleConsistency(s.Melody)),
            ["pitch_entropy"] = sheets.Average(s => MusPyMetrics.PitchEntropy(s.Melody)),
            ["pitch_class_entropy"] = sheets.Average(s => MusPyMetrics.PitchClassEntropy(s.Melody)),
            ["empty_beat_rate"] = scores.Average(MusPyMetrics.EmptyBeatRate),
            ["polyphony"] = scores.Average(MusPyMetrics.Polyphony),
            ["polyphony_rate"] = scores.Average(MusPyMetrics.PolyphonyRate),
            ["groove_consistency"] = scores.Average(MusPyMetrics.GrooveConsistency),
        };

        double? nll = null;
        if (ngram is not null)
        {
            var (nats, notes) = sheets.Select(ngram.MelodyNll).Aggregate((Nats: 0.0, Notes: 0), (a, b) => (a.Nats + b.TotalNats, a.Notes + b.Notes));
            nll = notes == 0 ? null : nats / notes;
        }

        return new SetMetrics(
            name,
            sheets.Count,
            allNotes.Count,
            TheoryProfile.Of(sheets),
            muspy,
            index is null ? null : OriginalitySummary.Of(sheets, index),
            nll,
            MelodyFeatures.PitchClassHistogram(allNotes),
            Intervals(sheets),
            NoteLengths(sheets))
        {
            Structure = StructureProfile.Mean(sheets),
        };
    }

    private static double[] Intervals(IEnumerable<LeadSheet> sheets)
    {
        var h = new double[(2 * IntervalRange) + 1];
        foreach (var s in sheets)
        {
            for (var i = 1; i < s.Melody.Count; i++)
            {
                h[Math.Clamp(s.Melody[i].Pitch - s.Melody[i - 1].Pitch, -IntervalRange, IntervalRange) + IntervalRange]++;
            }
        }

        return Normalize(h);
    }

    private static double[] NoteLengths(IEnumerable<LeadSheet> sheets)
    {
        var h = new double[DurationClass.Count];
        foreach (var n in sheets.SelectMany(s => s.Melody))
        {
            h[DurationClass.Of(n.Duration, LeadSheet.Resolution)]++;
        }

        return Normalize(h);
    }

    private static double[] Normalize(double[] h)
    {
        var sum = h.Sum();
        return sum == 0 ? h : [.. h.Select(x => x / sum)];
    }
}
