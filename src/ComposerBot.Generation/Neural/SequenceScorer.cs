using ComposerBot.Generation.Neural.Training;
using ComposerBot.Generation.Tokens;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural;

/// <summary>Negative log-likelihood of token sequences: in total, per scored token, and per melody note.</summary>
public sealed record SequenceScore(double Nats, long Tokens, double MelodyNats, long Notes)
{
    public double PerToken => Tokens == 0 ? double.NaN : Nats / Tokens;

    /// <summary>
    /// The nats of the tokens that place and spell the melody (bar, section, position, pitch, duration),
    /// per note: comparable to the n-gram's per-note figure, which covers pitch and onset timing.
    /// </summary>
    public double PerNote => Notes == 0 ? double.NaN : MelodyNats / Notes;

    public static SequenceScore operator +(SequenceScore a, SequenceScore b) =>
        new(a.Nats + b.Nats, a.Tokens + b.Tokens, a.MelodyNats + b.MelodyNats, a.Notes + b.Notes);
}

/// <summary>Scores sequences with a model, in windows of its context (half-overlapping for long pieces).</summary>
public static class SequenceScorer
{
    public static SequenceScore Score(MusicTransformer model, LeadSheetTokenizer tokenizer, IEnumerable<int[]> sequences, CancellationToken cancellationToken = default)
    {
        var isMelody = Enumerable.Range(0, tokenizer.VocabularySize).Select(id => tokenizer[id].Kind is TokenKind.Bar or TokenKind.Section or TokenKind.Position or TokenKind.Pitch or TokenKind.Duration).ToArray();
        var isPitch = Enumerable.Range(0, tokenizer.VocabularySize).Select(id => tokenizer[id].Kind == TokenKind.Pitch).ToArray();
        var context = model.Config.Context;
        var device = model.parameters().First().device;
        var total = new SequenceScore(0, 0, 0, 0);
        var wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        foreach (var sequence in sequences)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var (row, firstScored) in Windows(sequence, context))
            {
                using var scope = NewDisposeScope();
                var input = tensor(row[..^1].Select(t => (long)t).ToArray(), device: device).unsqueeze(0);
                var logProbs = nn.functional.log_softmax(model.Forward(input).squeeze(0), -1).cpu();
                var target = row[1..];
                var picked = logProbs.gather(1, tensor(target.Select(t => (long)t).ToArray()).unsqueeze(1)).squeeze(1).data<float>().ToArray();
                double nats = 0, melody = 0;
                long tokens = 0, notes = 0;
                for (var t = Math.Max(firstScored - 1, 0); t < target.Length; t++)
                {
                    if (t + 1 < firstScored || SequenceWindows.IsGivenTarget(t + 1))
                    {
                        continue;
                    }

                    nats -= picked[t];
                    tokens++;
                    if (isMelody[target[t]])
                    {
                        melody -= picked[t];
                    }

                    if (isPitch[target[t]])
                    {
                        notes++;
                    }
                }

                total += new SequenceScore(nats, tokens, melody, notes);
            }
        }

        model.train(wasTraining);
        return total;
    }

    /// <summary>Rows of at most context + 1 tokens and the first index in each whose prediction is scored.</summary>
    private static IEnumerable<(int[] Row, int FirstScored)> Windows(int[] sequence, int context)
    {
        if (sequence.Length <= context + 1)
        {
            yield return (sequence, 1);
            yield break;
        }

        var prefix = SequenceWindows.PrefixLength;
        var body = context + 1 - prefix;
        var stride = body / 2;
        yield return (sequence[..(context + 1)], 1);
        for (var scoredFrom = context + 1; scoredFrom < sequence.Length; scoredFrom += stride)
        {
            var start = Math.Max(prefix, Math.Min(scoredFrom + stride, sequence.Length) - body);
            var end = Math.Min(start + body, sequence.Length);
            int[] row = [.. sequence.AsSpan(0, prefix), .. sequence.AsSpan(start, end - start)];
            yield return (row, prefix + (scoredFrom - start));
        }
    }
}
