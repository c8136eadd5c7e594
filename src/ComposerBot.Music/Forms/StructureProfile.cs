using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Music.Forms;

/// <summary>
/// The structure of one melody: the shares of its bars that restate an earlier bar (any way, exactly,
/// transposed, as a variation), the shares of its 2- and 4-bar phrases that restate an earlier phrase, the
/// structureness indicator at a short and a mid timescale, grooving-pattern similarity, leaps per note and
/// pitch-class entropy. Shares are fractions in [0, 1].
/// </summary>
public sealed record StructureProfile(
    double BarRepeats,
    double BarExact,
    double BarTransposed,
    double BarVariation,
    double TwoBarPhraseRepeats,
    double FourBarPhraseRepeats,
    double StructurenessShort,
    double StructurenessMid,
    double GroovingSimilarity,
    double LeapsPerNote,
    double PitchClassEntropy)
{
    /// <summary>The short timescale of the structureness indicator: segments of 1 to 2 bars.</summary>
    public static readonly (int Shortest, int Longest) ShortScale = (1, 2);

    /// <summary>The mid timescale: segments of 3 to 8 bars.</summary>
    public static readonly (int Shortest, int Longest) MidScale = (3, 8);

    /// <summary>A repetition on the self-similarity matrix counts when its mean similarity reaches this.</summary>
    public const double OccurrenceThreshold = 0.5;

    public static readonly string[] Names =
    [
        "bar_repeats", "bar_exact", "bar_transposed", "bar_variation", "two_bar_phrase_repeats", "four_bar_phrase_repeats",
        "structureness_short", "structureness_mid", "grooving_similarity", "leaps_per_note", "pitch_class_entropy",
    ];

    public double[] Values() =>
    [
        BarRepeats, BarExact, BarTransposed, BarVariation, TwoBarPhraseRepeats, FourBarPhraseRepeats,
        StructurenessShort, StructurenessMid, GroovingSimilarity, LeapsPerNote, PitchClassEntropy,
    ];

    public static StructureProfile Of(LeadSheet sheet)
    {
        var form = MelodyStructure.FormOf(sheet);
        var bars = Math.Max(1, form.Bars);
        double Share(BarRelation? relation) => (double)form.Relations.Count(r => relation is null ? r != BarRelation.New : r == relation) / bars;
        var ssm = MelodyStructure.SelfSimilarity(sheet);
        var pitches = sheet.Melody.OrderBy(n => n.Start).Select(n => n.Pitch).ToList();
        var leaps = pitches.Zip(pitches.Skip(1), (a, b) => OpenLeap.IsLeap(a, b) ? 1 : 0).Sum();
        return new StructureProfile(
            Share(null),
            Share(BarRelation.Exact),
            Share(BarRelation.Transposed),
            Share(BarRelation.Variation),
            PhraseRepeats(sheet, 2),
            PhraseRepeats(sheet, 4),
            Structureness(ssm, ShortScale),
            Structureness(ssm, MidScale),
            GroovingSimilarityOf(sheet),
            pitches.Count == 0 ? 0 : (double)leaps / pitches.Count,
            MusPyMetrics.PitchClassEntropy(sheet.Melody));
    }

    /// <summary>The mean of each figure over the melodies (leaps per note over all their notes).</summary>
    public static StructureProfile Mean(IReadOnlyList<LeadSheet> sheets)
    {
        var profiles = sheets.Select(Of).ToList();
        if (profiles.Count == 0)
        {
            return new StructureProfile(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        double M(Func<StructureProfile, double> f) => profiles.Average(f);
        var notes = sheets.Sum(s => s.Melody.Count);
        var leaps = profiles.Zip(sheets, (p, s) => p.LeapsPerNote * s.Melody.Count).Sum();
        return new StructureProfile(
            M(p => p.BarRepeats), M(p => p.BarExact), M(p => p.BarTransposed), M(p => p.BarVariation),
            M(p => p.TwoBarPhraseRepeats), M(p => p.FourBarPhraseRepeats), M(p => p.StructurenessShort), M(p => p.StructurenessMid),
            M(p => p.GroovingSimilarity), notes == 0 ? 0 : leaps / notes, M(p => p.PitchClassEntropy));
    }

    /// <summary>The share of the phrases of <paramref name="bars"/> bars (from the second on) that restate an earlier phrase exactly, transposed or as a variation.</summary>
    public static double PhraseRepeats(LeadSheet sheet, int bars)
    {
        var form = MelodyStructure.FormOf(MelodyStructure.Spans(sheet, bars));
        return form.Bars == 0 ? 0 : (double)form.Relations.Count(r => r != BarRelation.New) / form.Bars;
    }

    /// <summary>
    /// The structureness indicator after Wu and Yang (2020), on the bar-level self-similarity matrix: for
    /// each segment of a length in the timescale, its repetitions are the off-diagonal paths of that length
    /// whose mean similarity reaches <see cref="OccurrenceThreshold"/> (chosen greedily, best first, not
    /// overlapping the segment or one another); the segment's fitness is the harmonic mean of their mean
    /// similarity and the share of the piece that the segment and its repetitions cover. The indicator is
    /// the largest fitness (0 when nothing repeats).
    /// </summary>
    public static double Structureness(double[,] ssm, (int Shortest, int Longest) scale)
    {
        var n = ssm.GetLength(0);
        var best = 0.0;
        for (var length = scale.Shortest; length <= Math.Min(scale.Longest, n / 2); length++)
        {
            for (var s = 0; s + length <= n; s++)
            {
                var candidates = new List<(int Start, double Score)>();
                for (var t = 0; t + length <= n; t++)
                {
                    if (Math.Abs(t - s) < length)
                    {
                        continue;
                    }

                    double sum = 0;
                    for (var i = 0; i < length; i++)
                    {
                        sum += ssm[s + i, t + i];
                    }

                    if (sum / length >= OccurrenceThreshold)
                    {
                        candidates.Add((t, sum / length));
                    }
                }

                var chosen = new List<(int Start, double Score)>();
                foreach (var c in candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Start))
                {
                    if (chosen.All(o => Math.Abs(o.Start - c.Start) >= length))
                    {
                        chosen.Add(c);
                    }
                }

                if (chosen.Count == 0)
                {
                    continue;
                }

                var score = chosen.Average(c => c.Score);
                var coverage = Math.Min(1, (double)length * (chosen.Count + 1) / n);
                best = Math.Max(best, 2 * score * coverage / (score + coverage));
            }
        }

        return best;
    }

    /// <summary>
    /// Grooving-pattern similarity (Wu and Yang 2020): each bar's onsets as a binary vector on the 16th and
    /// triplet grid (2 ticks); the mean over all pairs of bars of 1 - (positions that differ) / (positions).
    /// </summary>
    public static double GroovingSimilarityOf(LeadSheet sheet)
    {
        const int Step = 2;
        var positions = (int)(sheet.TicksPerBar / Step);
        var bars = MelodyStructure.Bars(sheet).Select(b =>
        {
            var grid = new bool[positions];
            foreach (var (onset, _) in b.Notes)
            {
                grid[Math.Min(positions - 1, (int)(onset / Step))] = true;
            }

            return grid;
        }).ToList();
        if (bars.Count < 2 || positions == 0)
        {
            return 0;
        }

        double total = 0;
        var pairs = 0;
        for (var i = 0; i < bars.Count; i++)
        {
            for (var j = i + 1; j < bars.Count; j++)
            {
                var differing = 0;
                for (var p = 0; p < positions; p++)
                {
                    differing += bars[i][p] != bars[j][p] ? 1 : 0;
                }

                total += 1 - ((double)differing / positions);
                pairs++;
            }
        }

        return total / pairs;
    }
}
