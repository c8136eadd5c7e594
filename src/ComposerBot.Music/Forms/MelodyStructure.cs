using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Music.Forms;

/// <summary>
/// Repetition in a melody: how bars and phrases restate earlier ones (exactly, transposed, or as a close
/// variation), the form that results, and the bar-level self-similarity matrix. Only note onsets and
/// pitches count; a bar's notes are those that start in it.
/// </summary>
public static class MelodyStructure
{
    /// <summary>Share of onsets, and of the notes at shared onsets at one common interval, that makes a close variation.</summary>
    public const double VariationThreshold = 0.75;

    /// <summary>A melody span: its notes as (onset from the span's start, pitch), in onset order.</summary>
    public readonly record struct Span(IReadOnlyList<(long Onset, int Pitch)> Notes);

    /// <summary>The notes of each bar, by onset.</summary>
    public static IReadOnlyList<Span> Bars(LeadSheet sheet) => Spans(sheet, 1);

    /// <summary>The melody cut into phrases of <paramref name="bars"/> bars from the first bar (a last, incomplete phrase left out).</summary>
    public static IReadOnlyList<Span> Spans(LeadSheet sheet, int bars)
    {
        var length = sheet.TicksPerBar * bars;
        var count = sheet.Bars / bars;
        var spans = Enumerable.Range(0, count).Select(_ => new List<(long, int)>()).ToArray();
        foreach (var note in sheet.Melody.OrderBy(n => n.Start).ThenBy(n => n.Pitch))
        {
            var index = note.Start / length;
            if (index >= 0 && index < count)
            {
                spans[index].Add((note.Start - (index * length), note.Pitch));
            }
        }

        return [.. spans.Select(s => new Span(s))];
    }

    /// <summary>How <paramref name="later"/> restates <paramref name="earlier"/>, the interval it is moved by, and a similarity in [0, 1] (1 exactly the same).</summary>
    public static (BarRelation Relation, int Shift, double Similarity) Relate(Span later, Span earlier)
    {
        var a = later.Notes;
        var b = earlier.Notes;
        if (a.Count == 0 || b.Count == 0)
        {
            return a.Count == b.Count ? (BarRelation.Exact, 0, 1) : (BarRelation.New, 0, 0);
        }

        // The pitch differences at the onsets both share, and the most common one.
        var differences = new Dictionary<int, int>();
        var shared = 0;
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a[i].Onset == b[j].Onset)
            {
                var d = a[i].Pitch - b[j].Pitch;
                differences[d] = differences.GetValueOrDefault(d) + 1;
                shared++;
                i++;
                j++;
            }
            else if (a[i].Onset < b[j].Onset)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        if (shared == 0)
        {
            return (BarRelation.New, 0, 0);
        }

        var (shift, agreeing) = differences.OrderByDescending(d => d.Value).ThenBy(d => Math.Abs(d.Key)).ThenBy(d => d.Key).Select(d => (d.Key, d.Value)).First();
        var onsetShare = (double)shared / Math.Max(a.Count, b.Count);
        var pitchShare = (double)agreeing / shared;
        var similarity = onsetShare * pitchShare * (shift == 0 ? 1 : 0.9);
        if (a.Count == b.Count && shared == a.Count && agreeing == shared)
        {
            return (shift == 0 ? BarRelation.Exact : BarRelation.Transposed, shift, similarity);
        }

        return onsetShare >= VariationThreshold && pitchShare >= VariationThreshold
            ? (BarRelation.Variation, shift, similarity)
            : (BarRelation.New, 0, similarity);
    }

    /// <summary>For each span, the earlier span it restates most closely (an exact copy first, then a transposition, then the closest variation), or -1.</summary>
    public static BarForm FormOf(IReadOnlyList<Span> spans)
    {
        var sources = new int[spans.Count];
        var relations = new BarRelation[spans.Count];
        var shifts = new int[spans.Count];
        for (var k = 0; k < spans.Count; k++)
        {
            sources[k] = -1;
            var bestRank = 0;
            var bestSimilarity = 0.0;
            for (var e = 0; e < k; e++)
            {
                var (relation, shift, similarity) = Relate(spans[k], spans[e]);
                var rank = relation switch { BarRelation.Exact => 3, BarRelation.Transposed => 2, BarRelation.Variation => 1, _ => 0 };
                if (rank > bestRank || (rank == bestRank && rank > 0 && similarity > bestSimilarity))
                {
                    (sources[k], relations[k], shifts[k], bestRank, bestSimilarity) = (e, relation, shift, rank, similarity);
                }
            }
        }

        return new BarForm(sources.ToValueList(), relations.ToValueList(), shifts.ToValueList());
    }

    /// <summary>The form of a melody bar by bar.</summary>
    public static BarForm FormOf(LeadSheet sheet) => FormOf(Bars(sheet));

    /// <summary>The bar-level self-similarity matrix: entry [i, j] is the similarity of bars i and j (<see cref="Relate"/>), 1 on the diagonal.</summary>
    public static double[,] SelfSimilarity(LeadSheet sheet)
    {
        var bars = Bars(sheet);
        var matrix = new double[bars.Count, bars.Count];
        for (var i = 0; i < bars.Count; i++)
        {
            matrix[i, i] = 1;
            for (var j = 0; j < i; j++)
            {
                matrix[i, j] = matrix[j, i] = Relate(bars[i], bars[j]).Similarity;
            }
        }

        return matrix;
    }
}
