using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Music.Metrics;

/// <summary>
/// The RL Tuner table (Jaques et al. 2017, Table 1) over a set of melodies, as percentages: note-level
/// figures are shares of all notes, melody-level figures are shares of melodies, autocorrelations are
/// means over melodies. <see cref="LeapsResolvedPercent"/> is counted as RL Tuner's published evaluation
/// counts it (<see cref="LeapOutcomes"/>); <see cref="LeapsSteppedBackPercent"/> is the stricter share of
/// leaps the very next note answers by a step the other way.
/// </summary>
public sealed record TheoryProfile(
    int Melodies,
    double ExcessivelyRepeatedPercent,
    double NotInKeyPercent,
    double StartsWithTonicPercent,
    double LeapsResolvedPercent,
    double LeapsSteppedBackPercent,
    double UniqueMaxPercent,
    double UniqueMinPercent,
    double NotesInMotifPercent,
    double NotesInRepeatedMotifPercent,
    double Autocorrelation1,
    double Autocorrelation2,
    double Autocorrelation3)
{
    /// <summary>A run of more than this many equal pitches is excessive.</summary>
    public const int MaxRepeats = 4;

    /// <summary>A leap is an interval of at least a perfect fifth.</summary>
    public const int LeapSemitones = 7;

    /// <summary>RL Tuner's <c>steps_between_leaps</c>: a leap straight back resolves only after more steps than this.</summary>
    public const int StepsBetweenLeaps = 6;

    public static TheoryProfile Of(IEnumerable<LeadSheet> sheets) => Aggregate(sheets.Select(Count));

    public static TheoryProfile Aggregate(IEnumerable<TheoryCounts> counts)
    {
        var all = counts.Where(c => c.Notes > 0).ToList();
        if (all.Count == 0)
        {
            return new TheoryProfile(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        double notes = all.Sum(c => c.Notes);
        double leaps = all.Sum(c => c.Leaps);
        double outcomes = all.Sum(c => c.LeapsResolved + c.LeapsDoubled);
        return new TheoryProfile(
            all.Count,
            100 * all.Sum(c => c.ExcessivelyRepeated) / notes,
            100 * all.Sum(c => c.NotInKey) / notes,
            100.0 * all.Count(c => c.StartsWithTonic) / all.Count,
            outcomes == 0 ? 100 : 100 * all.Sum(c => c.LeapsResolved) / outcomes,
            leaps == 0 ? 100 : 100 * all.Sum(c => c.LeapsSteppedBack) / leaps,
            100.0 * all.Count(c => c.UniqueMax) / all.Count,
            100.0 * all.Count(c => c.UniqueMin) / all.Count,
            100 * all.Sum(c => c.NotesInMotif) / notes,
            100 * all.Sum(c => c.NotesInRepeatedMotif) / notes,
            all.Average(c => c.Autocorrelation[0]),
            all.Average(c => c.Autocorrelation[1]),
            all.Average(c => c.Autocorrelation[2]));
    }

    /// <summary>Tallies one melody against its key and bar grid.</summary>
    public static TheoryCounts Count(LeadSheet sheet)
    {
        var notes = sheet.Melody;
        var pitches = notes.Select(n => n.Pitch).ToArray();
        if (pitches.Length == 0)
        {
            return new TheoryCounts(0, 0, 0, false, 0, 0, false, false, 0, 0, [0, 0, 0]);
        }

        // Excessive repeats: the 5th and later notes of a run of equal pitches.
        var repeated = 0;
        var run = 1;
        for (var i = 1; i < pitches.Length; i++)
        {
            run = pitches[i] == pitches[i - 1] ? run + 1 : 1;
            if (run > MaxRepeats)
            {
                repeated++;
            }
        }

        var leaps = 0;
        var resolved = 0;
        for (var i = 1; i < pitches.Length - 1; i++)
        {
            var leap = pitches[i] - pitches[i - 1];
            if (OpenLeap.IsLeap(pitches[i - 1], pitches[i]))
            {
                leaps++;
                var next = pitches[i + 1] - pitches[i];
                if (next != 0 && Math.Sign(next) != Math.Sign(leap) && Math.Abs(next) <= 2)
                {
                    resolved++;
                }
            }
        }

        var max = pitches.Max();
        var min = pitches.Min();
        var (inMotif, inRepeatedMotif) = Motifs(sheet);
        var (resolvedLater, doubled) = LeapOutcomes(notes, LeadSheet.Resolution / 4.0);
        return new TheoryCounts(
            pitches.Length,
            repeated,
            pitches.Count(p => !MelodyScale.InKey(sheet.Key, p)),
            pitches[0] % 12 == sheet.Key.Tonic,
            leaps,
            resolved,
            pitches.Count(p => p == max) == 1,
            pitches.Count(p => p == min) == 1,
            inMotif,
            inRepeatedMotif,
            [Autocorrelation(pitches, 1), Autocorrelation(pitches, 2), Autocorrelation(pitches, 3)],
            resolvedLater,
            doubled);
    }

    /// <summary>
    /// Leaps counted as RL Tuner's published evaluation counts them (magenta rl_tuner.py,
    /// <c>detect_leap_up_back</c>, and rl_tuner_eval_metrics.py: "percent of leaps resolved" is resolved over
    /// resolved plus doubled). A leap (a fifth or more from the previous note) opens when none is open and
    /// remembers the note it left. While one is open, a later note that is no leap and has come back to or
    /// past that note resolves it; a leap the other way closes it, and resolves it only if it comes more than
    /// <see cref="StepsBetweenLeaps"/> sixteenth steps after the last leap (the steps between, that is: 8
    /// sixteenths after it or later); another leap the same way is doubled and leaves it open. A leap that is
    /// never resolved nor doubled counts neither way.
    /// </summary>
    public static (int Resolved, int Doubled) LeapOutcomes(IReadOnlyList<Note> notes, double ticksPerSixteenth)
    {
        int resolved = 0, doubled = 0;
        var open = default(OpenLeap);
        var lastLeapStep = 0L;
        for (var i = 1; i < notes.Count; i++)
        {
            var step = (long)Math.Floor(notes[i].Start / ticksPerSixteenth);
            (open, var move) = open.After(notes[i - 1].Pitch, notes[i].Pitch);
            resolved += move == LeapMove.Returned || (move == LeapMove.LeptBack && step - lastLeapStep - 1 > StepsBetweenLeaps) ? 1 : 0;
            doubled += move == LeapMove.Doubled ? 1 : 0;
            lastLeapStep = move is LeapMove.Opened or LeapMove.Doubled or LeapMove.LeptBack ? step : lastLeapStep;
        }

        return (resolved, doubled);
    }

    /// <summary>
    /// A motif is a bar whose notes have at least 3 distinct pitches; it is repeated when another bar has
    /// the same rhythm and intervals (transposed or not).
    /// </summary>
    private static (int InMotif, int InRepeatedMotif) Motifs(LeadSheet sheet)
    {
        var bars = sheet.Melody.GroupBy(n => n.Start / sheet.TicksPerBar).Select(g => g.OrderBy(n => n.Start).ToList()).ToList();
        var shapes = bars.Select(b => string.Join(',', b.Select((n, i) => $"{n.Start % sheet.TicksPerBar}:{(i == 0 ? 0 : n.Pitch - b[i - 1].Pitch)}"))).ToList();
        int inMotif = 0, inRepeated = 0;
        for (var b = 0; b < bars.Count; b++)
        {
            if (bars[b].Select(n => n.Pitch).Distinct().Count() < 3)
            {
                continue;
            }

            inMotif += bars[b].Count;
            if (shapes.Where((s, i) => i != b && s == shapes[b]).Any())
            {
                inRepeated += bars[b].Count;
            }
        }

        return (inMotif, inRepeated);
    }

    /// <summary>The autocorrelation of the pitch sequence at a lag (0 when undefined).</summary>
    public static double Autocorrelation(IReadOnlyList<int> values, int lag)
    {
        if (values.Count <= lag)
        {
            return 0;
        }

        var mean = values.Average();
        double num = 0, den = 0;
        for (var i = 0; i < values.Count; i++)
        {
            den += (values[i] - mean) * (values[i] - mean);
            if (i + lag < values.Count)
            {
                num += (values[i] - mean) * (values[i + lag] - mean);
            }
        }

        return den == 0 ? 0 : num / den;
    }
}
