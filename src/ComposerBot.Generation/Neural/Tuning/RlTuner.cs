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

    /// <summary>beta: reward = r_theory - beta * KL(policy || prior) per sequence (in nats).</summary>
    public double KlWeight { get; init; } = 0.02;

    public int Seed { get; init; } = 1;

    public int MinBars { get; init; } = 8;

    public int MaxBars { get; init; } = 16;

    public string Device { get; init; } = "auto";
}

/// <summary>One step's figures: the batch's mean theory reward, KL from the prior, and two rules' rates.</summary>
public sealed record TuningProgress(int Step, int Steps, double Reward, double Kl, double LeapsResolved, double StartsWithTonic);

/// <summary>
/// RL Tuner-style fine-tuning (evaluation.md section A) by policy gradient regularised by the KL divergence
/// to the prior: each step samples a batch of lead sheets from the policy (through the same grammar as the
/// product), scores each with music-theory rewards, subtracts beta times its KL from the prior, and moves
/// the policy along advantage-weighted log-likelihoods (REINFORCE with a batch-mean baseline).
/// </summary>
public static class RlTuner
{
    private static readonly (int, int)[] Meters = [(4, 4), (3, 4), (6, 8), (2, 4)];

    /// <summary>
    /// The theory reward of one melody: resolved leaps (+1 all, -1 none), starting on the tonic (+1/-1),
    /// notes in a motif (0..1); key and repetition rules are already enforced by the grammar.
    /// </summary>
    public static double Reward(TheoryCounts counts) =>
        (2 * (counts.Leaps == 0 ? 1 : (2.0 * counts.ResolvedLeaps / counts.Leaps) - 1))
        + (counts.StartsWithTonic ? 1 : -1)
        + (0.5 * counts.NotesInMotif / Math.Max(1, counts.Notes));

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
            var specs = Enumerable.Range(0, options.Batch).Select(_ =>
            {
                var (numerator, denominator) = Meters[random.Next(Meters.Length)];
                return new LeadSheetSpec(KeySignature.FromTonic(random.Next(12), random.Next(3) == 0 ? KeyMode.Minor : KeyMode.Major), new MeterChange(0, numerator, denominator), random.Next(options.MinBars, options.MaxBars + 1), 110, random.Next());
            }).ToList();
            var sequences = composer.SampleTokens(specs, cancellationToken);
            var counts = sequences.Select(s => TheoryProfile.Count(tokenizer.Decode(s).Sheet)).ToList();
            var theory = counts.Select(Reward).ToArray();

            using var scope = NewDisposeScope();
            var (logPolicy, lengths) = SequenceLogProbs(policy, sequences, device);
            Tensor logPrior;
            using (no_grad())
            {
                logPrior = SequenceLogProbs(prior, sequences, device).Sums;
            }

            var kl = (logPolicy.detach() - logPrior).cpu().data<float>().ToArray();
            var rewards = theory.Select((r, i) => r - (options.KlWeight * kl[i])).ToArray();
            var mean = rewards.Average();
            var std = Math.Sqrt(rewards.Average(r => (r - mean) * (r - mean))) + 1e-6;
            var advantages = tensor(rewards.Select(r => (float)((r - mean) / std)).ToArray(), device: device);
            var loss = -(advantages * logPolicy / lengths).mean();
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(policy.parameters(), 1.0);
            optimizer.step();
            var leaps = counts.Sum(c => c.Leaps);
            progress?.Report(new TuningProgress(step, options.Steps, theory.Average(), kl.Average(), leaps == 0 ? 1 : (double)counts.Sum(c => c.ResolvedLeaps) / leaps, counts.Count(c => c.StartsWithTonic) / (double)counts.Count));
        }

        return policy;
    }

    /// <summary>Per sequence: the summed log-probability of its sampled tokens after the prompt, and how many.</summary>
    private static (Tensor Sums, Tensor Lengths) SequenceLogProbs(MusicTransformer model, IReadOnlyList<int[]> sequences, Device device)
    {
        const int Prompt = 7;
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

        var logits = model.Forward(tensor(inputs, device: device).view(sequences.Count, length));
        var picked = nn.functional.log_softmax(logits, -1).gather(2, tensor(targets, device: device).view(sequences.Count, length, 1)).squeeze(2);
        var weights = tensor(mask, device: device).view(sequences.Count, length);
        return ((picked * weights).sum(1), weights.sum(1));
    }
}
