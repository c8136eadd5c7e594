using ComposerBot.Composition;
using ComposerBot.Generation.Neural.Training;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
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

    /// <summary>The requests of one step's batch, drawn from the step's random generator (default: <see cref="RlTuner.RandomSpecs"/>).</summary>
    public Func<Random, int, IReadOnlyList<LeadSheetSpec>>? Requests { get; init; }

    /// <summary>
    /// Gradient updates on each sampled batch. The expected rewards and the KL are exact at any state, so a
    /// batch serves several updates (sampling is most of a step's time); the sampled leap credit only the first.
    /// </summary>
    public int UpdatesPerBatch { get; init; } = 1;

    /// <summary>Hand the policy to the checkpoint callback every this many steps (0: never).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>The rules rewarded (default: the tonic start and resolved leaps; <see cref="RlTuner.WholeReward"/> for all of RL Tuner's and the structure term).</summary>
    public IReadOnlySet<RlTuner.Rule> Rules { get; init; } = RlTuner.LeapRules;

    /// <summary>
    /// The share of melody notes in a repeated motif that <see cref="RlTuner.Rule.Structure"/> aims at (0-1,
    /// the human tunes' own; required when that rule is rewarded).
    /// </summary>
    public double? StructureTarget { get; init; }
}

/// <summary>
/// One step's figures: the batch's mean theory reward, the KL from the prior per lead sheet (nats), the two
/// rules' rates in the sampled lead sheets, the policy's own probabilities of obeying them where they apply,
/// and how many leaps a sampled lead sheet has.
/// </summary>
public sealed record TuningProgress(int Step, int Steps, double Reward, double Kl, double LeapsResolved, double StartsWithTonic, double ExpectedResolution = double.NaN, double ExpectedTonic = double.NaN, double LeapsPerSheet = double.NaN)
{
    /// <summary>Each note rule's expected obedience under the policy where it applies (the rules with notes in the batch).</summary>
    public IReadOnlyDictionary<RlTuner.Rule, double> Obedience { get; init; } = new Dictionary<RlTuner.Rule, double>();

    /// <summary>The batch's mean whole-melody reward (autocorrelation and structure terms; NaN when neither is rewarded).</summary>
    public double SequenceReward { get; init; } = double.NaN;
}

/// <summary>
/// A melody note that a rule rewards: the position of its pitch token, the rule, the pitch tokens the
/// grammar allowed there, those of them that earn the reward (the others are penalised), and for a leap's
/// resolution the position of the pitch token that leapt.
/// </summary>
public sealed record RuledNote(int Position, RlTuner.Rule Rule, IReadOnlyList<int> Allowed, IReadOnlyList<int> Good, int? Leap = null)
{
    /// <summary>The sampled note's reward: +1 when it obeys the rule, -1 when not.</summary>
    public double RewardOf(IReadOnlyList<int> tokens) => Good.Contains(tokens[Position]) ? 1 : -1;
}

/// <summary>
/// RL Tuner-style fine-tuning (evaluation.md section A) by policy gradient regularised by the KL divergence
/// to the prior. Each step samples a batch of lead sheets from the policy through the same grammar as the
/// product. The music-theory rewards (<see cref="Rule"/>: the two of the first runs, or RL Tuner's whole set)
/// are given where they are earned, at the melody notes: the first note on the tonic, each note after a leap
/// resolving it by a step back, and so on, +1 when the chosen pitch obeys and -1 when not. These rewards
/// depend only on the note chosen, so at each such note the expected reward over all the pitches the grammar
/// allows is computed exactly from the policy's distribution (an all-actions policy gradient: the same
/// expectation a sampled REINFORCE estimate aims at, without its variance). Each sampled leap is credited
/// with its resolution's expected reward, so the policy learns where to leap as well as how to resolve; the
/// whole-melody terms (autocorrelation, structure) are REINFORCE with the batch's mean as baseline. The loss
/// is minus each rule's mean expected reward, minus those credits, plus beta times the exact
/// KL(policy || prior) at every sampled position, which keeps everything else the prior's.
/// </summary>
public static class RlTuner
{
    /// <summary>The grammar's conditioning prompt (Begin, feel, meter, key, mode, tempo, bars): given, not sampled.</summary>
    private const int PromptLength = 7;

    /// <summary>
    /// The rules: RL Tuner's (Jaques et al. 2017, section 3.1), each rewarded at the notes where it applies
    /// (+1 when the chosen pitch obeys, -1 when not), and two whole-melody terms.
    /// </summary>
    public enum Rule
    {
        /// <summary>The first note is a tonic.</summary>
        TonicStart,

        /// <summary>A leap of a fifth or more is followed by a step back (1-2 semitones the other way).</summary>
        LeapResolution,

        /// <summary>The last note is a tonic.</summary>
        TonicEnd,

        /// <summary>Every note is in the key (<see cref="MelodyScale.InKey"/>).</summary>
        InKey,

        /// <summary>No more than <see cref="TheoryProfile.MaxRepeats"/> equal pitches in a row.</summary>
        NoExcessiveRepeat,

        /// <summary>After two leaps in a row, no third.</summary>
        NoLeapRun,

        /// <summary>No tritone, no seventh, nothing wider than an octave between neighbours.</summary>
        HarmoniousInterval,

        /// <summary>A bar's notes use at least 3 pitches (a motif, as <see cref="TheoryProfile"/> counts it).</summary>
        Motif,

        /// <summary>A bar repeats an earlier motif's rhythm and intervals (transposed or not).</summary>
        RepeatedMotif,

        /// <summary>Whole melody: minus the mean absolute autocorrelation of its pitches at lags 1-3.</summary>
        LowAutocorrelation,

        /// <summary>Whole melody: minus the distance of its share of notes in repeated motifs from the human tunes' (<see cref="TuningOptions.StructureTarget"/>).</summary>
        Structure,
    }

    /// <summary>The two rules the first tuning runs rewarded.</summary>
    public static IReadOnlySet<Rule> LeapRules { get; } = new HashSet<Rule> { Rule.TonicStart, Rule.LeapResolution };

    /// <summary>RL Tuner's whole reward and the structure term.</summary>
    public static IReadOnlySet<Rule> WholeReward { get; } = Enum.GetValues<Rule>().ToHashSet();

    private static bool IsWholeMelody(Rule rule) => rule is Rule.LowAutocorrelation or Rule.Structure;

    /// <summary>
    /// The theory score of one melody (for reports): resolved leaps (+1 all, -1 none), starting on the tonic
    /// (+1/-1), notes in a motif (0..1); key and repetition rules are already enforced by the grammar.
    /// </summary>
    public static double Reward(TheoryCounts counts) =>
        (2 * (counts.Leaps == 0 ? 1 : (2.0 * counts.LeapsSteppedBack / counts.Leaps) - 1))
        + (counts.StartsWithTonic ? 1 : -1)
        + (0.5 * counts.NotesInMotif / Math.Max(1, counts.Notes));

    /// <summary>
    /// The notes of one sampled sequence that the rules reward, found by replaying the product's grammar
    /// for its request (so the allowed pitches are exactly those the sampler chose from). Leaps and their
    /// resolution are defined as in <see cref="TheoryProfile"/>: a leap of a fifth or more resolves when the
    /// next note steps back (1 or 2 semitones the other way); a bar's rules apply at its last note. Notes where
    /// no allowed pitch could obey are skipped, and so (but for a leap's resolution, whose credit the leap
    /// earns) are notes where every allowed pitch obeys.
    /// </summary>
    public static IReadOnlyList<RuledNote> RuledNotes(IReadOnlyList<int> tokens, LeadSheetSpec spec, LeadSheetTokenizer tokenizer, IReadOnlySet<Rule>? rules = null)
    {
        rules ??= LeapRules;
        var grammar = new DecodingGrammar(tokenizer, spec, spec.Feel ?? "other");
        var notes = MelodyNotes(tokens, tokenizer, grammar.Prompt.Count);
        var (firstPitch, pitchCount) = tokenizer.Range(TokenKind.Pitch);
        var allowed = new bool[tokenizer.VocabularySize];
        var ruled = new List<RuledNote>();
        var k = 0;
        for (var position = 0; position < tokens.Count; position++)
        {
            grammar.Allow(allowed);
            if (k < notes.Count && notes[k].Position == position)
            {
                var options = Enumerable.Range(firstPitch, pitchCount).Where(id => allowed[id]).ToList();
                foreach (var (rule, obeys) in RulesAt(notes, k, spec.Key, rules))
                {
                    var good = options.Where(id => obeys(tokenizer[id].Value)).ToList();
                    if (good.Count > 0 && (good.Count < options.Count || rule == Rule.LeapResolution))
                    {
                        ruled.Add(new RuledNote(position, rule, options, good, rule == Rule.LeapResolution ? notes[k - 1].Position : null));
                    }
                }

                k++;
            }

            grammar.Accept(tokens[position], allowed);
        }

        return ruled;
    }

    /// <summary>A sampled melody note: where its pitch token is, its bar and its onset step in the bar, its pitch.</summary>
    private sealed record MelodyNote(int Position, int Bar, int Onset, int Pitch);

    private static List<MelodyNote> MelodyNotes(IReadOnlyList<int> tokens, LeadSheetTokenizer tokenizer, int prompt)
    {
        var notes = new List<MelodyNote>();
        int bar = -1, onset = 0;
        for (var position = prompt; position < tokens.Count; position++)
        {
            var token = tokenizer[tokens[position]];
            switch (token.Kind)
            {
                case TokenKind.Bar:
                    bar++;
                    break;
                case TokenKind.Position:
                    onset = token.Value;
                    break;
                case TokenKind.Pitch:
                    notes.Add(new MelodyNote(position, bar, onset, token.Value));
                    break;
            }
        }

        return notes;
    }

    /// <summary>The rules that apply at note <paramref name="k"/>, each with the test a pitch there must pass; only earlier notes are read, and where the note stands.</summary>
    private static IEnumerable<(Rule Rule, Func<int, bool> Obeys)> RulesAt(List<MelodyNote> notes, int k, KeySignature key, IReadOnlySet<Rule> rules)
    {
        int Interval(int i) => notes[i].Pitch - notes[i - 1].Pitch;
        bool Leap(int i) => OpenLeap.IsLeap(notes[i - 1].Pitch, notes[i].Pitch);
        var previous = k > 0 ? notes[k - 1].Pitch : 0;
        if (rules.Contains(Rule.TonicStart) && k == 0)
        {
            yield return (Rule.TonicStart, pitch => pitch % 12 == key.Tonic);
        }

        if (rules.Contains(Rule.TonicEnd) && k == notes.Count - 1)
        {
            yield return (Rule.TonicEnd, pitch => pitch % 12 == key.Tonic);
        }

        if (rules.Contains(Rule.InKey))
        {
            yield return (Rule.InKey, pitch => MelodyScale.InKey(key, pitch));
        }

        if (rules.Contains(Rule.NoExcessiveRepeat) && k >= TheoryProfile.MaxRepeats && notes.Skip(k - TheoryProfile.MaxRepeats).Take(TheoryProfile.MaxRepeats).All(n => n.Pitch == previous))
        {
            yield return (Rule.NoExcessiveRepeat, pitch => pitch != previous);
        }

        if (rules.Contains(Rule.LeapResolution) && k >= 2 && Leap(k - 1))
        {
            var leap = Interval(k - 1);
            yield return (Rule.LeapResolution, pitch => Resolves(leap, pitch - previous));
        }

        if (rules.Contains(Rule.NoLeapRun) && k >= 3 && Leap(k - 1) && Leap(k - 2))
        {
            yield return (Rule.NoLeapRun, pitch => !OpenLeap.IsLeap(previous, pitch));
        }

        if (rules.Contains(Rule.HarmoniousInterval) && k >= 1)
        {
            yield return (Rule.HarmoniousInterval, pitch => Harmonious(pitch - previous));
        }

        if (k < notes.Count - 1 && notes[k + 1].Bar == notes[k].Bar)
        {
            yield break; // the bar's rules wait for its last note
        }

        var bar = notes.Take(k).Where(n => n.Bar == notes[k].Bar).ToList();
        if (bar.Count == 0)
        {
            yield break;
        }

        if (rules.Contains(Rule.Motif))
        {
            yield return (Rule.Motif, pitch => bar.Select(n => n.Pitch).Append(pitch).Distinct().Count() >= 3);
        }

        if (rules.Contains(Rule.RepeatedMotif))
        {
            // The pitches that make this bar an earlier motif again: the same onsets, the same intervals so far, and its last interval.
            var shape = Shape(bar.Append(notes[k]).ToList());
            var completions = notes.Take(k).Where(n => n.Bar < notes[k].Bar).GroupBy(n => n.Bar).Select(g => g.ToList())
                .Where(e => e.Count == shape.Count && e.Select(n => n.Pitch).Distinct().Count() >= 3)
                .Select(e => Shape(e))
                .Where(earlier => earlier.SkipLast(1).SequenceEqual(shape.SkipLast(1)) && earlier[^1].Onset == shape[^1].Onset)
                .Select(earlier => previous + earlier[^1].Interval)
                .ToHashSet();
            if (completions.Count > 0)
            {
                yield return (Rule.RepeatedMotif, completions.Contains);
            }
        }
    }

    /// <summary>A bar as onsets and the interval from the note before in the bar (0 for its first): what a repeated motif repeats.</summary>
    private static List<(int Onset, int Interval)> Shape(List<MelodyNote> bar) =>
        [.. bar.Select((n, i) => (n.Onset, i == 0 ? 0 : n.Pitch - bar[i - 1].Pitch))];

    /// <summary>RL Tuner's preferred intervals: none wider than an octave, no tritone and no seventh.</summary>
    public static bool Harmonious(int interval) => Math.Abs(interval) is <= 12 and not (6 or 10 or 11);

    /// <summary>
    /// The whole-melody reward of a sampled melody for the whole-melody rules among <paramref name="rules"/>
    /// (0 when none): minus its mean absolute autocorrelation at lags 1-3, minus the distance of its share of
    /// notes in repeated motifs from <paramref name="structureTarget"/>.
    /// </summary>
    public static double MelodyReward(TheoryCounts counts, IReadOnlySet<Rule> rules, double? structureTarget)
    {
        var reward = 0.0;
        if (rules.Contains(Rule.LowAutocorrelation))
        {
            reward -= counts.Autocorrelation.Take(3).Average(Math.Abs);
        }

        if (rules.Contains(Rule.Structure))
        {
            reward -= Math.Abs(((double)counts.NotesInRepeatedMotif / Math.Max(1, counts.Notes)) - (structureTarget ?? throw new ArgumentException("the structure term needs a target share.", nameof(structureTarget))));
        }

        return reward;
    }

    private static bool Resolves(int leap, int next) => next != 0 && Math.Sign(next) != Math.Sign(leap) && Math.Abs(next) <= 2;

    /// <summary>Requests to sample: a random feel and key (a third of them minor), any meter of the vocabulary, minBars-maxBars bars.</summary>
    public static IReadOnlyList<LeadSheetSpec> RandomSpecs(Random random, int count, int minBars, int maxBars) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var (numerator, denominator) = LeadSheetTokenizer.Meters[random.Next(LeadSheetTokenizer.Meters.Length)];
            var key = KeySignature.FromTonic(random.Next(12), random.Next(3) == 0 ? KeyMode.Minor : KeyMode.Major);
            var bars = random.Next(minBars, maxBars + 1);
            var feel = LeadSheetTokenizer.Feels[random.Next(LeadSheetTokenizer.Feels.Length)];
            return new LeadSheetSpec(key, new MeterChange(0, numerator, denominator), bars, 110, random.Next()) { Feel = feel };
        })];

    /// <summary>
    /// Tunes a copy of <paramref name="prior"/>, or of <paramref name="start"/> (a checkpoint of an earlier
    /// run, to go on from) with the KL still taken from the prior; <paramref name="checkpoint"/> (when given)
    /// receives the policy every <see cref="TuningOptions.CheckpointEvery"/> steps.
    /// </summary>
    public static MusicTransformer Tune(MusicTransformer prior, TuningOptions options, IProgress<TuningProgress>? progress = null, Action<MusicTransformer, int>? checkpoint = null, MusicTransformer? start = null, CancellationToken cancellationToken = default)
    {
        if (start is not null && start.Config != prior.Config)
        {
            throw new ArgumentException("the model to start from has another shape than the prior.", nameof(start));
        }

        if (options.Rules.Contains(Rule.Structure) && options.StructureTarget is not (>= 0 and <= 1))
        {
            throw new ArgumentException("the structure term needs StructureTarget, a share between 0 and 1.", nameof(options));
        }

        var wholeMelody = options.Rules.Any(IsWholeMelody);
        var device = TorchRuntime.Resolve(options.Device);
        var policy = new MusicTransformer(prior.Config);
        policy.to(device);
        using (no_grad())
        {
            foreach (var (target, source) in policy.parameters().Zip((start ?? prior).parameters()))
            {
                target.copy_(source);
            }
        }

        prior.eval();
        policy.eval(); // no dropout: the samples and the gradient see the same policy
        using var optimizer = new AdamW(policy.parameters(), options.LearningRate);
        var composer = new NeuralComposer(new TorchDecoder(policy), "tuning", SamplingOptions.ModelOnly);
        var tokenizer = new LeadSheetTokenizer();
        var random = new Random(options.Seed);
        for (var step = 1; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var specs = options.Requests?.Invoke(random, options.Batch) ?? RandomSpecs(random, options.Batch, options.MinBars, options.MaxBars);
            var sequences = composer.SampleTokens(specs, cancellationToken);
            var counts = sequences.Select(s => TheoryProfile.Count(tokenizer.Decode(s).Sheet)).ToList();
            var ruled = sequences.Select((s, i) => RuledNotes(s, specs[i], tokenizer, options.Rules)).ToList();
            var melodyRewards = counts.Select(c => MelodyReward(c, options.Rules, options.StructureTarget)).ToArray();

            using var batchScope = NewDisposeScope();
            var (inputs, targets, logPrior, positions) = Batch(prior, sequences, device);
            double klPerSheet = 0;
            Dictionary<Rule, double> obedience = [];
            for (var update = 0; update < options.UpdatesPerBatch; update++)
            {
                using var scope = NewDisposeScope();
                var logPolicy = nn.functional.log_softmax(policy.Forward(inputs), -1);
                var klPerPosition = (logPolicy.exp() * (logPolicy - logPrior)).sum(2);
                var expected = ExpectedObedience(logPolicy, ruled, tokenizer.VocabularySize, device);
                var rewardLoss = expected.Values.Aggregate(zeros(1, device: device), (sum, e) => sum - e.Obedience.Times(2).Plus(-1).mean());
                if (update == 0 && expected.TryGetValue(Rule.LeapResolution, out var leaps))
                {
                    // On the samples' own policy only: this term is a sampled estimate, the others are exact at any update.
                    rewardLoss -= LeapCredit(logPolicy, sequences, leaps.Notes, leaps.Obedience, device);
                }

                if (update == 0 && wholeMelody)
                {
                    rewardLoss -= MelodyCredit(logPolicy, targets, positions, melodyRewards, device);
                }

                var klLoss = (klPerPosition * positions).sum() / positions.sum();
                var loss = rewardLoss.Plus(klLoss.Times(options.KlWeight));
                optimizer.ZeroGrad();
                loss.backward();
                nn.utils.clip_grad_norm_(policy.parameters(), 1.0);
                optimizer.Step();
                if (update == 0)
                {
                    klPerSheet = (klPerPosition.detach() * positions).sum(1).mean().cpu().item<float>();
                    obedience = expected.ToDictionary(e => e.Key, e => (double)e.Value.Obedience.detach().mean().cpu().item<float>());
                }
            }

            var leapCount = counts.Sum(c => c.Leaps);
            double Mean(Rule rule) => obedience.TryGetValue(rule, out var p) ? p : double.NaN;
            progress?.Report(new TuningProgress(
                step,
                options.Steps,
                counts.Average(Reward),
                klPerSheet,
                leapCount == 0 ? 1 : (double)counts.Sum(c => c.LeapsSteppedBack) / leapCount,
                counts.Count(c => c.StartsWithTonic) / (double)counts.Count,
                Mean(Rule.LeapResolution),
                Mean(Rule.TonicStart),
                (double)leapCount / counts.Count)
            {
                Obedience = obedience,
                SequenceReward = wholeMelody ? melodyRewards.Average() : double.NaN,
            });
            if (checkpoint is not null && options.CheckpointEvery > 0 && step % options.CheckpointEvery == 0 && step < options.Steps)
            {
                checkpoint(policy, step);
            }
        }

        return policy;
    }

    /// <summary>
    /// The batch as model input (row r, position t predicts token t + 1), the tokens it predicts, the frozen
    /// prior's next-token log-probabilities there, and a 0/1 mask of the sampled positions after the prompt.
    /// </summary>
    private static (Tensor Inputs, Tensor Targets, Tensor LogPrior, Tensor Mask) Batch(MusicTransformer prior, IReadOnlyList<int[]> sequences, Device device)
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
                mask[(r * length) + t] = t + 1 >= PromptLength ? 1 : 0;
            }
        }

        var x = tensor(inputs, device: device).view(sequences.Count, length);
        using (no_grad())
        {
            return (x, tensor(targets, device: device).view(sequences.Count, length), nn.functional.log_softmax(prior.Forward(x), -1), tensor(mask, device: device).view(sequences.Count, length));
        }
    }

    /// <summary>
    /// The whole-melody terms as REINFORCE: each sampled lead sheet's mean log-probability per sampled token,
    /// weighted by how much better its melody's reward is than the batch's mean (the baseline).
    /// </summary>
    private static Tensor MelodyCredit(Tensor logPolicy, Tensor targets, Tensor mask, double[] rewards, Device device)
    {
        var mean = rewards.Average();
        var advantage = tensor(rewards.Select(r => (float)(r - mean)).ToArray(), device: device);
        var picked = logPolicy.gather(2, targets.unsqueeze(2)).squeeze(2) * mask;
        return (advantage * (picked.sum(1) / mask.sum(1))).mean();
    }

    /// <summary>
    /// Per rule, the policy's probability of obeying it at each of its notes: the mass of the pitches that
    /// earn the reward among the pitches the grammar allowed there (with gradient).
    /// </summary>
    private static Dictionary<Rule, (Tensor Obedience, List<(int Row, RuledNote Note)> Notes)> ExpectedObedience(Tensor logPolicy, IReadOnlyList<IReadOnlyList<RuledNote>> ruled, int vocabulary, Device device)
    {
        var expected = new Dictionary<Rule, (Tensor, List<(int, RuledNote)>)>();
        foreach (var group in ruled.SelectMany((notes, row) => notes.Select(note => (Row: row, Note: note))).GroupBy(x => x.Note.Rule))
        {
            var notes = group.ToList();
            var allowed = new bool[notes.Count * vocabulary];
            var good = new bool[notes.Count * vocabulary];
            for (var i = 0; i < notes.Count; i++)
            {
                foreach (var id in notes[i].Note.Allowed)
                {
                    allowed[(i * vocabulary) + id] = true;
                }

                foreach (var id in notes[i].Note.Good)
                {
                    good[(i * vocabulary) + id] = true;
                }
            }

            // The note's pitch token is predicted from the position before it.
            var rows = tensor(notes.Select(x => (long)x.Row).ToArray(), device: device);
            var columns = tensor(notes.Select(x => (long)x.Note.Position - 1).ToArray(), device: device);
            var logits = logPolicy.index([rows, columns]);
            var all = logits.FilledWhere(tensor(allowed, device: device).view(notes.Count, vocabulary).logical_not(), float.NegativeInfinity).logsumexp(1);
            var obeying = logits.FilledWhere(tensor(good, device: device).view(notes.Count, vocabulary).logical_not(), float.NegativeInfinity).logsumexp(1);
            expected[group.Key] = ((obeying - all).exp(), notes);
        }

        return expected;
    }

    /// <summary>
    /// The leap's share of its resolution's reward: a leap is worth what the note after it is expected to
    /// earn (2p - 1, +1 when it surely resolves, -1 when it surely does not), a step or a repeat nothing. So
    /// the sampled leap's log-probability is weighted by that value (REINFORCE; the policy leaps less where
    /// it would not resolve, as RL Tuner's Q-learning learns from the same rewards).
    /// </summary>
    private static Tensor LeapCredit(Tensor logPolicy, IReadOnlyList<int[]> sequences, List<(int Row, RuledNote Note)> notes, Tensor obedience, Device device)
    {
        var rows = tensor(notes.Select(x => (long)x.Row).ToArray(), device: device);
        var columns = tensor(notes.Select(x => (long)x.Note.Leap!.Value - 1).ToArray(), device: device);
        var leapt = tensor(notes.Select(x => (long)sequences[x.Row][x.Note.Leap!.Value]).ToArray(), device: device);
        var picked = logPolicy.index([rows, columns]).gather(1, leapt.unsqueeze(1)).squeeze(1);
        return (obedience.detach().Times(2).Plus(-1) * picked).mean();
    }
}
