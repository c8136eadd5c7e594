using System.CommandLine;
using ComposerBot.Corpus;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Neural.Training;
using ComposerBot.Generation.Tokens;
using ComposerBot.Studio;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot train</c>: trains the neural composer on the corpus's train split (validating on the valid
/// split), checkpointing as it goes; run it again after an interruption and it resumes where it stopped.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write the trained model.", DefaultValueFactory = _ => new DirectoryInfo(ModelStore.DefaultDirectory(Environment.GetEnvironmentVariable("COMPOSERBOT_HOME"))) };
        var checkpoints = new Option<DirectoryInfo>("--checkpoints") { Description = "Where checkpoints go (the run resumes from here).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(CorpusOptions.DefaultCacheDirectory(), "training")) };
        var fresh = new Option<bool>("--fresh") { Description = "Discard an existing checkpoint and start from scratch." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the (transposed) train split.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, augmentation, batching and dropout.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when present), cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int>("--threads") { Description = "CPU threads for libtorch (0: one per core)." };
        var dim = new Option<int>("--model-dim") { Description = "Width of the Transformer.", DefaultValueFactory = _ => 256 };
        var layers = new Option<int>("--layers") { Description = "Decoder blocks.", DefaultValueFactory = _ => 4 };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", DefaultValueFactory = _ => 4 };
        var context = new Option<int>("--context") { Description = "Longest sequence in tokens.", DefaultValueFactory = _ => 1024 };
        var batchTokens = new Option<int>("--batch-tokens") { Description = "Padded tokens per optimiser step.", DefaultValueFactory = _ => 8192 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Peak learning rate (AdamW, cosine schedule).", DefaultValueFactory = _ => 6e-4 };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => 50 };
        var repeats = new Option<string?>("--feel-repeats") { Description = "Pieces of these feels appear more than once an epoch, each with its own transposition: feel=N[,feel=N] (e.g. chorale=3)." };
        var limit = new Option<int>("--limit") { Description = "Train on the first N pieces of the train split only (quick trials); 0: all." };
        var corpus = new CorpusOptions();
        var command = new Command("train", "Train the neural composer (a TorchSharp Transformer) on the corpus's train split; resumes from its last checkpoint.")
        {
            output, checkpoints, fresh, epochs, seed, device, threads, dim, layers, heads, context, batchTokens, learningRate, checkpointEvery, repeats, limit,
        };
        corpus.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var tokenizer = new LeadSheetTokenizer();
            var model = new TransformerConfig(tokenizer.VocabularySize, parse.GetValue(dim), parse.GetValue(layers), parse.GetValue(heads), 4 * parse.GetValue(dim), parse.GetValue(context));
            var options = new TrainingOptions(model, parse.GetRequiredValue(checkpoints).FullName)
            {
                Seed = parse.GetValue(seed),
                Epochs = parse.GetValue(epochs),
                TokensPerBatch = parse.GetValue(batchTokens),
                LearningRate = parse.GetValue(learningRate),
                Device = parse.GetRequiredValue(device),
                Threads = parse.GetValue(threads),
                CheckpointEverySteps = parse.GetValue(checkpointEvery),
                FeelRepeats = FeelRepeats(parse.GetValue(repeats)),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliInputException($"bad training options: {ex.Message.Split('\n')[0]}");
            }

            var loaded = await corpus.LoadAsync(parse, cancellationToken).ConfigureAwait(false);
            static TrainingPiece Piece(CorpusPiece p) => new(p.LeadSheet, LeadSheetTokenizer.FeelOf(p.Type));
            var train = loaded.In(Split.Train).Select(Piece).ToList();
            var n = parse.GetValue(limit);
            if (n > 0)
            {
                train = [.. train.Take(n)];
            }

            var valid = loaded.In(Split.Valid).Select(Piece).ToList();
            if (parse.GetValue(fresh) && File.Exists(Checkpoint.PathIn(options.CheckpointDirectory)))
            {
                File.Delete(Checkpoint.PathIn(options.CheckpointDirectory));
            }

            var result = await TrainingConsole.RunAsync(
                progress => Task.Run(() => Trainer.Train(options, train, valid, $"{loaded.Fingerprint}:{n}", progress, cancellationToken), cancellationToken)).ConfigureAwait(false);
            using var trained = result.Model;
            var directory = parse.GetRequiredValue(output).FullName;
            var manifest = ModelFiles.Save(trained, directory, result.Summary);
            var s = result.Summary;
            await Console.Out.WriteLineAsync(
                $"Wrote {ModelFiles.ManifestPath(directory)} ({manifest.WeightsFile}, sha256 {manifest.WeightsSha256}): {s.Steps} steps in {TimeSpan.FromSeconds(s.Seconds):h\\:mm\\:ss}" +
                $"{(result.ResumedFromStep > 0 ? $" (resumed at step {result.ResumedFromStep})" : "")}; valid NLL {s.ValidNllPerToken:0.000} nats/token, {s.ValidNllPerNote:0.000} nats/note").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Parses <c>feel=N[,feel=N]</c>; a feel the vocabulary lacks, or a count that is not a whole number, is refused in one line.</summary>
    private static Dictionary<string, int> FeelRepeats(string? text)
    {
        var repeats = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            var feel = parts[0].ToLowerInvariant();
            if (!LeadSheetTokenizer.Feels.Contains(feel))
            {
                throw new CliInputException($"--feel-repeats: '{parts[0]}' is not a feel; feels: {string.Join(", ", LeadSheetTokenizer.Feels)}.");
            }

            if (parts.Length < 2 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
            {
                throw new CliInputException($"--feel-repeats: '{item}' needs a whole number of repeats (feel=N, e.g. chorale=3).");
            }

            repeats[feel] = count;
        }

        return repeats;
    }
}
