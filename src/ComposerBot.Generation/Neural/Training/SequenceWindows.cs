using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Generation.Neural.Training;

/// <summary>
/// Turns lead sheets into training rows: tokenized (transposed when asked), cut to the context, sorted into
/// batches of a token budget. A sequence longer than the context keeps its conditioning prefix and continues
/// with a window of its body, as the sampler does when a long piece outgrows the context.
/// </summary>
internal static class SequenceWindows
{
    /// <summary>Begin, feel, meter, key, mode, tempo, bars, density.</summary>
    public const int PrefixLength = 8;

    /// <summary>Prefix targets that sampling is given, not asked for (feel .. bars): never scored.</summary>
    public static bool IsGivenTarget(int position) => position is >= 1 and < PrefixLength - 1;

    public static LeadSheet Transpose(LeadSheet sheet, int semitones) => semitones == 0 ? sheet : sheet with
    {
        Key = KeySignature.FromTonic((((sheet.Key.Tonic + semitones) % 12) + 12) % 12, sheet.Key.Mode),
        Melody = sheet.Melody.Select(n => n with { Pitch = n.Pitch + semitones }).ToValueList(),
        Chords = sheet.Chords.Select(c => c with { Chord = c.Chord.Transpose(semitones) }).ToValueList(),
    };

    /// <summary>Token sequences of the pieces the tokenizer can take, each transposed by its shift.</summary>
    public static List<int[]> Tokenize(LeadSheetTokenizer tokenizer, IReadOnlyList<TrainingPiece> pieces, Func<int, int> shiftOf, CancellationToken cancellationToken)
    {
        var sequences = new List<int[]>(pieces.Count);
        for (var i = 0; i < pieces.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (tokenizer.TryEncodeQuantized(Transpose(pieces[i].Sheet, shiftOf(i)), new Conditioning(pieces[i].Feel, pieces[i].Sheet.Bpm)) is { } tokens)
            {
                sequences.Add(tokens);
            }
        }

        return sequences;
    }

    /// <summary>One row of at most context + 1 tokens per sequence (a random body window when longer).</summary>
    public static List<(int[] Tokens, bool Windowed)> Rows(IEnumerable<int[]> sequences, int context, Random random)
    {
        var rows = new List<(int[], bool)>();
        foreach (var s in sequences)
        {
            if (s.Length <= context + 1)
            {
                rows.Add((s, false));
                continue;
            }

            var body = context + 1 - PrefixLength;
            var start = random.Next(PrefixLength, s.Length - body + 1);
            rows.Add(([.. s.AsSpan(0, PrefixLength), .. s.AsSpan(start, body)], true));
        }

        return rows;
    }

    /// <summary>Rows sorted by length into batches of at most <paramref name="tokenBudget"/> padded tokens, in random order.</summary>
    public static List<TrainingBatch> Batches(List<(int[] Tokens, bool Windowed)> rows, int tokenBudget, Random random)
    {
        var ordered = rows.Select(r => (Row: r, Tie: random.Next())).OrderBy(r => r.Row.Tokens.Length).ThenBy(r => r.Tie).Select(r => r.Row).ToList();
        var batches = new List<TrainingBatch>();
        var start = 0;
        while (start < ordered.Count)
        {
            var end = start + 1;
            while (end < ordered.Count && (end - start + 1) * (ordered[end].Tokens.Length - 1) <= tokenBudget)
            {
                end++;
            }

            batches.Add(Pack(ordered.GetRange(start, end - start)));
            start = end;
        }

        return [.. batches.Select(b => (Batch: b, Key: random.Next())).OrderBy(b => b.Key).Select(b => b.Batch)];
    }

    /// <summary>Inputs are tokens[0..n-1], targets tokens[1..n]; padding and given prefix targets score nothing.</summary>
    public static TrainingBatch Pack(IReadOnlyList<(int[] Tokens, bool Windowed)> rows)
    {
        var length = rows.Max(r => r.Tokens.Length) - 1;
        var inputs = new long[rows.Count * length];
        var targets = new long[rows.Count * length];
        for (var r = 0; r < rows.Count; r++)
        {
            var (tokens, windowed) = rows[r];
            for (var t = 0; t < tokens.Length - 1; t++)
            {
                var target = t + 1;
                var given = IsGivenTarget(target) || (windowed && target == PrefixLength);
                inputs[(r * length) + t] = tokens[t];
                targets[(r * length) + t] = given ? 0 : tokens[target];
            }
        }

        return new TrainingBatch(inputs, targets, rows.Count, length);
    }
}
