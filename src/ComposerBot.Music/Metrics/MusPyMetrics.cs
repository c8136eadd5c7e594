namespace ComposerBot.Music.Metrics;

/// <summary>
/// MusPy's standard metrics (evaluation.md section C) over a score's pitched notes. Beats are quarter
/// notes; time steps for the polyphony rate are 16th notes.
/// </summary>
public static class MusPyMetrics
{
    public static double ScaleConsistency(IReadOnlyCollection<Note> notes)
    {
        if (notes.Count == 0)
        {
            return 0;
        }

        var best = 0;
        for (var tonic = 0; tonic < 12; tonic++)
        {
            foreach (var mode in new[] { KeyMode.Major, KeyMode.Minor })
            {
                var key = KeySignature.FromTonic(tonic, mode);
                best = Math.Max(best, notes.Count(n => key.Contains(n.Pitch)));
            }
        }

        return (double)best / notes.Count;
    }

    public static double PitchEntropy(IReadOnlyCollection<Note> notes) => Entropy(notes.Select(n => n.Pitch));

    public static double PitchClassEntropy(IReadOnlyCollection<Note> notes) => Entropy(notes.Select(n => n.Pitch % 12));

    /// <summary>The share of quarter-note beats, up to the last note's end, in which no note sounds.</summary>
    public static double EmptyBeatRate(Score score)
    {
        var notes = Pitched(score);
        var beats = (int)Math.Ceiling((double)score.EndTick / score.TicksPerQuarter);
        if (beats == 0)
        {
            return 0;
        }

        var sounding = new bool[beats];
        foreach (var n in notes)
        {
            var first = n.Start / score.TicksPerQuarter;
            var last = (n.End - 1) / score.TicksPerQuarter;
            for (var b = first; b <= last && b < beats; b++)
            {
                sounding[b] = true;
            }
        }

        return (double)sounding.Count(s => !s) / beats;
    }

    /// <summary>The mean number of distinct pitches sounding at the onset times.</summary>
    public static double Polyphony(Score score)
    {
        var notes = Pitched(score);
        var onsets = notes.Select(n => n.Start).Distinct().ToList();
        return onsets.Count == 0 ? 0 : onsets.Average(t => notes.Where(n => n.Start <= t && n.End > t).Select(n => n.Pitch).Distinct().Count());
    }

    /// <summary>The share of 16th-note time steps with more than two pitches sounding.</summary>
    public static double PolyphonyRate(Score score)
    {
        var notes = Pitched(score);
        var step = Math.Max(1, score.TicksPerQuarter / 4);
        var steps = (int)Math.Ceiling((double)score.EndTick / step);
        if (steps == 0)
        {
            return 0;
        }

        var count = new int[steps];
        foreach (var n in notes)
        {
            for (var s = n.Start / step; s * step < n.End && s < steps; s++)
            {
                count[s]++;
            }
        }

        return (double)count.Count(c => c > 2) / steps;
    }

    /// <summary>1 - the mean Hamming distance between consecutive bars' onset patterns, over the bar length in ticks.</summary>
    public static double GrooveConsistency(Score score)
    {
        var ticksPerBar = (int)score.InitialMeter.TicksPerBar(score.TicksPerQuarter);
        var bars = (int)Math.Ceiling((double)score.EndTick / ticksPerBar);
        if (bars < 2)
        {
            return 1;
        }

        var patterns = new bool[bars, ticksPerBar];
        foreach (var n in Pitched(score))
        {
            patterns[n.Start / ticksPerBar, n.Start % ticksPerBar] = true;
        }

        double total = 0;
        for (var b = 1; b < bars; b++)
        {
            var hamming = 0;
            for (var t = 0; t < ticksPerBar; t++)
            {
                hamming += patterns[b, t] != patterns[b - 1, t] ? 1 : 0;
            }

            total += (double)hamming / ticksPerBar;
        }

        return 1 - (total / (bars - 1));
    }

    private static List<Note> Pitched(Score score) => [.. score.Tracks.Where(t => !t.IsDrum).SelectMany(t => t.Notes)];

    private static double Entropy(IEnumerable<int> values)
    {
        var counts = values.GroupBy(v => v).Select(g => (double)g.Count()).ToList();
        var total = counts.Sum();
        return total == 0 ? 0 : -counts.Sum(c => c / total * Math.Log2(c / total));
    }
}
