using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Music.Metrics;

/// <summary>
/// The mgeval features of a melody (Yang and Lerch 2018). Per-bar features are averaged over bars so
/// that pieces of different lengths compare; lengths and inter-onset intervals are in quarter notes.
/// </summary>
public static class MelodyFeatures
{
    public static readonly string[] Names =
    [
        "total_used_pitch", "bar_used_pitch", "total_used_note", "bar_used_note",
        "total_pitch_class_histogram", "bar_pitch_class_histogram", "pitch_class_transition_matrix",
        "pitch_range", "avg_pitch_shift", "avg_IOI", "note_length_hist", "note_length_transition_matrix",
    ];

    public static IReadOnlyDictionary<string, double[]> Compute(LeadSheet sheet)
    {
        var notes = sheet.Melody.OrderBy(n => n.Start).ToList();
        var bars = notes.GroupBy(n => n.Start / sheet.TicksPerBar).Select(g => g.ToList()).ToList();
        var pitches = notes.Select(n => n.Pitch).ToList();
        var classes = notes.Select(n => DurationClass.Of(n.Duration, LeadSheet.Resolution)).ToList();
        return new Dictionary<string, double[]>
        {
            ["total_used_pitch"] = [pitches.Distinct().Count()],
            ["bar_used_pitch"] = [bars.Count == 0 ? 0 : bars.Average(b => b.Select(n => n.Pitch).Distinct().Count())],
            ["total_used_note"] = [notes.Count],
            ["bar_used_note"] = [bars.Count == 0 ? 0 : bars.Average(b => b.Count)],
            ["total_pitch_class_histogram"] = PitchClassHistogram(notes),
            ["bar_pitch_class_histogram"] = bars.Count == 0 ? new double[12] : Average(bars.Select(PitchClassHistogram)),
            ["pitch_class_transition_matrix"] = Transitions(pitches.Select(p => p % 12).ToList(), 12),
            ["pitch_range"] = [pitches.Count == 0 ? 0 : pitches.Max() - pitches.Min()],
            ["avg_pitch_shift"] = [pitches.Count < 2 ? 0 : pitches.Zip(pitches.Skip(1), (a, b) => Math.Abs(b - a)).Average()],
            ["avg_IOI"] = [notes.Count < 2 ? 0 : notes.Zip(notes.Skip(1), (a, b) => (double)(b.Start - a.Start) / LeadSheet.Resolution).Average()],
            ["note_length_hist"] = Normalize(Histogram(classes, DurationClass.Count)),
            ["note_length_transition_matrix"] = Transitions(classes, DurationClass.Count),
        };
    }

    /// <summary>The 12-bin pitch-class histogram, normalised to sum 1.</summary>
    public static double[] PitchClassHistogram(IEnumerable<Note> notes) => Normalize(Histogram(notes.Select(n => n.Pitch % 12), 12));

    private static double[] Histogram(IEnumerable<int> values, int bins)
    {
        var h = new double[bins];
        foreach (var v in values)
        {
            h[v]++;
        }

        return h;
    }

    private static double[] Transitions(List<int> sequence, int states)
    {
        var m = new double[states * states];
        for (var i = 1; i < sequence.Count; i++)
        {
            m[(sequence[i - 1] * states) + sequence[i]]++;
        }

        return Normalize(m);
    }

    private static double[] Normalize(double[] values)
    {
        var sum = values.Sum();
        return sum == 0 ? values : [.. values.Select(v => v / sum)];
    }

    private static double[] Average(IEnumerable<double[]> vectors)
    {
        var list = vectors.ToList();
        var result = new double[list[0].Length];
        foreach (var v in list)
        {
            for (var i = 0; i < v.Length; i++)
            {
                result[i] += v[i] / list.Count;
            }
        }

        return result;
    }
}
