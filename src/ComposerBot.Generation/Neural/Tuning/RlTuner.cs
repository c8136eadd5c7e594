using ComposerBot.Composition;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural.Tuning;

/// <summary>How to fine-tune: steps of a batch of sampled lead sheets, the KL weight that keeps the policy near the prior.</summary>
public sealed record TuningOptions
{
    public int Steps { get; init; } = 300;

    public int Batch { get; init; } = 8;

    public double LearningRate { get; init; } = 2e-5;

    /// <summary>beta: the loss adds beta times the mean per-token KL(policy || prior) (in nats), which keeps the tuned model close to the prior.</summary>
    public double KlWeight { get; init; } = 1.0;

    public int Seed { get; init; } = 1;

    public int MinBars { get; init; } = 8;

    public int MaxBars { get; init; } = 16;

    public string Device { get; init; } = "auto";
}

/// <summary>One step's figures: the batch's mean theory reward, the KL from the prior per lead sheet (nats), and two rules' rates.</summary>
public sealed record TuningProgress(int Step, int Steps, double Reward, double Kl, double LeapsResolved, double StartsWithTonic);

/// <summary>
/// RL Tuner-style fine-tuning (evaluation.md section A) by policy gradient regularised by the KL divergence
/// to the prior. Each step samples a batch of lead sheets from the policy through the same grammar as the
/// product. The music-theory rewards are given where they are earned, at the melody notes: the first note
/// (+1 on the tonic, -1 elsewhere) and each note after a leap (+1 when it resolves the leap by a step back,
/// -1 when not); each rule's batch mean is its baseline. The loss is the advantage-weighted negative
/// log-likelihood of those notes plus beta times the exact KL(policy || prior) of every sampled position,
/// which keeps everything else the prior's.
/// </summary>
public static class RlTuner
{
    private const int Prompt = 7;
    private static readonly (int, int)[] Meters = [(4, 4), (3, 4), (6, 8), (2, 4)];

    /// <summary>The rules rewarded note by note.</summary>
    public enum Rule
    {
        TonicStart,
        LeapResolution,
    }

    /// <summary>
    /// The theory score of one melody (for reports): resolved leaps (+1 all, -1 none), starting on the tonic
    /// (+1/-1), notes in a motif (0..1); key and repetition rules are already enforced by the grammar.
    /// </summary>
    public static double Reward(TheoryCounts counts) =>
        (2 * (counts.Leaps == 0 ? 1 : (2.0 * counts.ResolvedLeaps / counts.Leaps) - 1))
        + (counts.StartsWithTonic ? 1 : -1)
        + (0.5 * counts.NotesInMotif / Math.Max(1, counts.Notes));

    /// <summary>
    /// The note-level rewards of one sampled sequence: (the position of the note's pitch token, the rule, +1
    /// or -1). Leaps and resolutions are defined as in <see cref="TheoryProfile"/>.
    /// </summary>
    public static IReadOnlyList<(int Position, Rule Rule, double Reward)> NoteRewards(IReadOnlyList<int> tokens, LeadSheetTokenizer tokenizer)
    {
        var tonic = tokens.Take(Prompt).Select(id => tokenizer[id]).FirstOrDefault(t => t.Kind == TokenKind.Key).Value;
        var notes = tokens.Select((id, position) => (Token: tokenizer[id], Position: position)).Where(x => x.Position >= Prompt && x.Token.Kind == TokenKind.Pitch).ToList();
        var rewards = new List<(int, Rule, double)>();
        for (var i = 0; i < notes.Count; i++)
        {
            if (i == 0)
            {
                rewards.Add((notes[0].Position, Rule.TonicStart, notes[0].Token.Value % 12 == tonic ? 1 : -1));
                continue;
            }

            if (i >= 2)
            {
                var leap = notes[i - 1].Token.Value - notes[i - 2].Token.Value;
                if (Math.Abs(leap) >= TheoryProfile.LeapSemitones)
                {
                    var next = notes[i].Token.Value - notes[i - 1].Token.Value;
                    var resolves = next != 0 && Math.Sign(next) != Math.Sign(leap) && Math.Abs(next) <= 2;
                    rewards.Add((notes[i].Position, Rule.LeapResolution, resolves ? 1 : -1));
                }
            }
        }

        return rewards;
    }

    /// <summary>Requests to sample: a random key (a third of them minor), one of four common meters, minBars-maxBars bars.</summary>
    public static IReadOnlyList<LeadSheetSpec> RandomSpecs(Random random, int count, int minBars, int maxBars) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var (numerator, denominator) = Meters[random.Next(Meters.Length)];
            return new LeadSheetSpec(KeySignature.FromTonic(random.Next(12), random.Next(3) == 0 ? KeyMode.Minor : KeyMode.Major), new MeterChange(0, numerator, denominator), random.Next(minBars, maxBars + 1), 110, random.Next());
        })];

    public static MusicTransformer Tune(MusicTransformer prior, TuningOptions options, IProgress<TuningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var device = TorchRuntime.Resolve(options.Device);
        var policy = new MusicTransformer(prior.Config);
        policy.to(device);
        using (no_grad())
        {
            foreach (var (target, source) in policy.parameters().Zip(prior.parameters()))
            {
                target.copy_(source);
            }
        }

        prior.eval();
        policy.eval(); // no dropout: the samples and the gradient see the same policy
        using var optimizer = optim.Adam(policy.parameters(), options.LearningRate);
        var composer = new NeuralComposer(policy, "tuning");
        var tokenizer = new LeadSheetTokenizer();
        var random = new Random(options.Seed);
        for (var step = 1; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var specs = RandomSpecs(random, options.Batch, options.MinBars, options.MaxBars);
            var sequences = composer.SampleTokens(specs, cancellationToken);
            var counts = sequences.Select(s => TheoryProfile.Count(tokenizer.Decode(s).Sheet)).ToList();
            var notes = sequences.Select(s => NoteRewards(s, tokenizer)).ToList();

            using var scope = NewDisposeScope();
            var (picked, klPerPosition, positions) = Positions(policy, prior, sequences, device);
            var (advantages, ruled) = Advantages(notes, sequences.Count, (int)picked.shape[1], device);
            var policyLoss = -(advantages * picked).sum() / Math.Max(1, ruled);
            var klLoss = (klPerPosition * positions).sum() / positions.sum();
            var loss = policyLoss + (options.KlWeight * klLoss);
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(policy.parameters(), 1.0);
            optimizer.step();

            var klPerSheet = (klPerPosition.detach() * positions).sum(1).mean().cpu().item<float>();
            var leaps = counts.Sum(c => c.Leaps);
            progress?.Report(new TuningProgress(step, options.Steps, counts.Average(Reward), klPerSheet, leaps == 0 ? 1 : (double)counts.Sum(c => c.ResolvedLeaps) / leaps, counts.Count(c => c.StartsWithTonic) / (double)counts.Count));
        }

        return policy;
    }

    /// <summary>
    /// For every sampled position after the prompt: the policy's log-probability of the sampled token (with
    /// gradient), the exact KL(policy || prior) of the two next-token distributions there, and a 0/1 mask.
    /// </summary>
    private static (Tensor Picked, Tensor Kl, Tensor Mask) Positions(MusicTransformer policy, MusicTransformer prior, IReadOnlyList<int[]> sequences, Device device)
    {
        var length = sequences.Max(s => s.Length) - 1;
        var inputs = new long[sequences.Count * length];
        var targets = new long[sequences.Count * length];
        var mask = new float[sequences.Count * length];
        for (var r = 0; r < sequences.Count; r++)
        {
            for (var t = 0; t + 1 < sequences[r].Length; t++)
            {
                inputs[(r * length) + t] = sequences[r][t];
                targets[(r * length) + t] = sequences[r][t + 1];
                mask[(r * length) + t] = t + 1 >= Prompt ? 1 : 0;
            }
        }

        var x = tensor(inputs, device: device).view(sequences.Count, length);
        var logPolicy = nn.functional.log_softmax(policy.Forward(x), -1);
        Tensor logPrior;
        using (no_grad())
        {
            logPrior = nn.functional.log_softmax(prior.Forward(x), -1);
        }

        var picked = logPolicy.gather(2, tensor(targets, device: device).view(sequences.Count, length, 1)).squeeze(2);
        var kl = (logPolicy.exp() * (logPolicy - logPrior)).sum(2);
        return (picked, kl, tensor(mask, device: device).view(sequences.Count, length));
    }

    /// <summary>
    /// The advantage at each rewarded note (its reward less its rule's batch mean), at the position that
    /// predicts the note's pitch token; zero elsewhere. Also how many notes were rewarded.
    /// </summary>
    private static (Tensor Advantages, int Count) Advantages(IReadOnlyList<IReadOnlyList<(int Position, Rule Rule, double Reward)>> notes, int rows, int length, Device device)
    {
        var baselines = notes.SelectMany(n => n).GroupBy(n => n.Rule).ToDictionary(g => g.Key, g => g.Average(n => n.Reward));
        var values = new float[rows * length];
        var count = 0;
        for (var r = 0; r < rows; r++)
        {
            foreach (var (position, rule, reward) in notes[r])
            {
                // The token at `position` is predicted from the position before it.
                values[(r * length) + position - 1] = (float)(reward - baselines[rule]);
                count++;
            }
        }

        return (tensor(values, device: device).view(rows, length), count);
    }
}
