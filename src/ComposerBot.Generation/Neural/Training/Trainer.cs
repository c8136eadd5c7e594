using System.Diagnostics;
using ComposerBot.Generation.Tokens;
using TorchSharp;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural.Training;

/// <summary>
/// Trains a <see cref="MusicTransformer"/> on lead sheets: transposition augmentation, token-budget batches,
/// AdamW with warm-up and a cosine schedule, gradient clipping, validation NLL per epoch, checkpoints.
/// Deterministic for a seed: each epoch's shifts, windows and batch order come from (seed, epoch), dropout
/// from (seed, step), and a checkpoint holds the optimiser's state, so an interrupted run that resumes ends
/// with the same weights as one that never stopped.
/// </summary>
public static class Trainer
{
    public static TrainingResult Train(
        TrainingOptions options,
        IReadOnlyList<TrainingPiece> train,
        IReadOnlyList<TrainingPiece> valid,
        string dataFingerprint,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException("no training pieces.", nameof(train));
        }

        var device = TorchRuntime.Resolve(options.Device);
        TorchRuntime.SetThreads(options.Threads);
        var tokenizer = new LeadSheetTokenizer();
        if (options.Model.Vocabulary != tokenizer.VocabularySize)
        {
            throw new ArgumentException($"the model's vocabulary ({options.Model.Vocabulary}) is not the tokenizer's ({tokenizer.VocabularySize}).", nameof(options));
        }

        manual_seed(options.Seed);
        var model = new MusicTransformer(options.Model);
        model.to(device);
        using var optimizer = new AdamW(model.parameters(), options.LearningRate, 0.9, 0.95, 1e-8, options.WeightDecay);
        var fingerprint = options.Fingerprint(dataFingerprint);
        var state = Checkpoint.TryLoad(options.CheckpointDirectory, fingerprint, model, optimizer) ?? new Checkpoint(0, 0, 0, 0, 0, double.NaN);
        var resumedFrom = state.Step;
        var validSequences = SequenceWindows.Tokenize(tokenizer, valid, _ => 0, cancellationToken);
        var firstEpoch = EpochBatches(options, tokenizer, train, 0, cancellationToken);
        var batchesPerEpoch = firstEpoch.Count;
        var totalSteps = batchesPerEpoch * options.Epochs;
        var clock = Stopwatch.StartNew();
        var tokensThisSession = 0L;
        var step = state.Step;
        var tokensSeen = state.TokensSeen;
        var runningLoss = state.RunningLoss;
        var scoredParameters = model.parameters().ToList();
        progress?.Report(new TrainingProgress(step, totalSteps, state.Epoch + 1, runningLoss, 0, TimeSpan.Zero,
            $"Training a {options.Model.ParameterCount:N0}-parameter Transformer on {train.Count:N0} pieces{(options.RepeatsText is { } repeats ? $" (repeated: {repeats})" : "")} (valid {valid.Count:N0}), {options.Epochs} epochs of {batchesPerEpoch} steps on {device.type.ToString().ToLowerInvariant()}; checkpoints in {options.CheckpointDirectory}" +
            (resumedFrom > 0 ? $"; resuming at step {resumedFrom}" : "")));

        for (var epoch = state.Epoch; epoch < options.Epochs; epoch++)
        {
            var batches = epoch == 0 ? firstEpoch : EpochBatches(options, tokenizer, train, epoch, cancellationToken);
            var first = epoch == state.Epoch ? state.Batch : 0;
            model.train();
            for (var b = first; b < batches.Count; b++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    new Checkpoint(step, epoch, b, tokensSeen, state.Seconds + clock.Elapsed.TotalSeconds, runningLoss).Save(options.CheckpointDirectory, fingerprint, model, optimizer);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var batch = batches[b];
                step++;
                optimizer.LearningRate = LearningRate(options, step, totalSteps);
                manual_seed((options.Seed * 1_000_003L) + step);
                double loss;
                using (var scope = NewDisposeScope())
                {
                    var inputs = tensor(batch.Inputs, device: device).view(batch.Rows, batch.Length);
                    var targets = tensor(batch.Targets, device: device).view(batch.Rows * batch.Length);
                    var logits = model.Forward(inputs).view(batch.Rows * batch.Length, options.Model.Vocabulary);
                    var lossTensor = nn.functional.cross_entropy(logits, targets, ignore_index: 0);
                    optimizer.ZeroGrad();
                    lossTensor.backward();
                    nn.utils.clip_grad_norm_(scoredParameters, options.ClipNorm);
                    optimizer.Step();
                    loss = lossTensor.item<float>();
                }

                runningLoss = double.IsNaN(runningLoss) ? loss : (0.95 * runningLoss) + (0.05 * loss);
                var scored = batch.ScoredTokens;
                tokensSeen += scored;
                tokensThisSession += scored;
                var seconds = clock.Elapsed.TotalSeconds;
                var rate = tokensThisSession / Math.Max(seconds, 1e-6);
                var stepsLeft = totalSteps - step;
                progress?.Report(new TrainingProgress(step, totalSteps, epoch + 1, runningLoss, rate, TimeSpan.FromSeconds(stepsLeft * seconds / Math.Max(1, step - resumedFrom))));
                if (step % options.CheckpointEverySteps == 0)
                {
                    new Checkpoint(step, epoch, b + 1, tokensSeen, state.Seconds + seconds, runningLoss).Save(options.CheckpointDirectory, fingerprint, model, optimizer);
                }
            }

            var score = SequenceScorer.Score(model, tokenizer, validSequences, cancellationToken);
            progress?.Report(new TrainingProgress(step, totalSteps, epoch + 1, runningLoss, tokensThisSession / Math.Max(clock.Elapsed.TotalSeconds, 1e-6), TimeSpan.Zero, $"epoch {epoch + 1}: valid NLL {score.PerToken:0.000} nats/token, {score.PerNote:0.000} nats/note"));
            new Checkpoint(step, epoch + 1, 0, tokensSeen, state.Seconds + clock.Elapsed.TotalSeconds, runningLoss).Save(options.CheckpointDirectory, fingerprint, model, optimizer);
        }

        var final = SequenceScorer.Score(model, tokenizer, validSequences, cancellationToken);
        model.eval();
        var summary = new TrainingSummary(
            options.Seed,
            options.Epochs,
            step,
            train.Count,
            tokensSeen,
            Math.Round(state.Seconds + clock.Elapsed.TotalSeconds, 1),
            Hardware(device),
            Math.Round(final.PerToken, 4),
            Math.Round(final.PerNote, 4),
            dataFingerprint)
        {
            FeelRepeats = options.FeelRepeats.Count == 0 ? null : options.FeelRepeats,
        };
        return new TrainingResult(model, summary, resumedFrom);
    }

    /// <summary>Linear warm-up to the peak, then a cosine down to the final fraction of it.</summary>
    public static double LearningRate(TrainingOptions options, int step, int totalSteps)
    {
        if (step <= options.WarmupSteps)
        {
            return options.LearningRate * step / Math.Max(1, options.WarmupSteps);
        }

        var progress = Math.Clamp((double)(step - options.WarmupSteps) / Math.Max(1, totalSteps - options.WarmupSteps), 0, 1);
        var floor = options.LearningRate * options.FinalLearningRateFraction;
        return floor + ((options.LearningRate - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }

    private static List<TrainingBatch> EpochBatches(TrainingOptions options, LeadSheetTokenizer tokenizer, IReadOnlyList<TrainingPiece> train, int epoch, CancellationToken cancellationToken)
    {
        var random = new Random(Music.StableSeed.Combine(options.Seed, epoch, 0x5eed));
        var pieces = train.SelectMany(p => Enumerable.Repeat(p, options.RepeatsOf(p.Feel))).ToList();
        var shifts = pieces.Select(_ => options.MaxTransposition == 0 ? 0 : random.Next(-options.MaxTransposition, options.MaxTransposition + 2)).ToArray();
        var sequences = SequenceWindows.Tokenize(tokenizer, pieces, i => shifts[i], cancellationToken);
        return SequenceWindows.Batches(SequenceWindows.Rows(sequences, options.Model.Context, random), options.TokensPerBatch, random);
    }

    /// <summary>The model's NLL on validation pieces, tokenized as training scores them (per token and per melody note).</summary>
    public static SequenceScore Validate(MusicTransformer model, IReadOnlyList<TrainingPiece> valid, CancellationToken cancellationToken = default)
    {
        var tokenizer = new LeadSheetTokenizer();
        return SequenceScorer.Score(model, tokenizer, SequenceWindows.Tokenize(tokenizer, valid, _ => 0, cancellationToken), cancellationToken);
    }

    /// <summary>Where the work ran, for manifests: the device, the cores and libtorch's thread count.</summary>
    public static string Hardware(Device device)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{device.type.ToString().ToLowerInvariant()}, {Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, torch threads {get_num_threads()}";
    }
}
