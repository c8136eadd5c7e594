using System.CommandLine;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Neural.Tuning;
using ComposerBot.Studio;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot tune</c>: fine-tunes the shipped neural composer with music-theory rewards (RL Tuner's
/// method, a policy gradient regularised by KL to the prior) and writes it beside the prior as
/// composer-tuned.json/.weights. Needs no corpus: it learns from its own samples.
/// </summary>
public static class TuneCommand
{
    public const string TunedName = "composer-tuned";

    public static Command Create()
    {
        var models = ModelStore.DefaultDirectory(Environment.GetEnvironmentVariable("COMPOSERBOT_HOME"));
        var prior = new Option<FileInfo>("--prior") { Description = "The model to start from (its manifest).", DefaultValueFactory = _ => new FileInfo(ModelFiles.ManifestPath(models)) };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write composer-tuned.json/.weights.", DefaultValueFactory = _ => new DirectoryInfo(models) };
        var steps = new Option<int>("--steps") { Description = "Policy-gradient steps.", DefaultValueFactory = _ => 300 };
        var batch = new Option<int>("--batch") { Description = "Lead sheets sampled per step.", DefaultValueFactory = _ => 16 };
        var beta = new Option<double>("--kl-weight") { Description = "Weight of the per-token KL divergence from the prior in the loss.", DefaultValueFactory = _ => 1.0 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam's step size.", DefaultValueFactory = _ => 1e-5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampled requests.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var command = new Command("tune", "Fine-tune the neural composer with music-theory rewards (policy gradient with a KL penalty to the prior).")
        {
            prior, output, steps, batch, beta, learningRate, seed, device,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new TuningOptions
            {
                Steps = parse.GetValue(steps),
                Batch = parse.GetValue(batch),
                KlWeight = parse.GetValue(beta),
                LearningRate = parse.GetValue(learningRate),
                Seed = parse.GetValue(seed),
                Device = parse.GetRequiredValue(device),
            };
            if (options.Steps < 1 || options.Batch < 2 || options.KlWeight < 0 || options.LearningRate <= 0)
            {
                throw new CliInputException("--steps must be at least 1, --batch at least 2, --kl-weight at least 0 and --learning-rate above 0.");
            }

            var (model, manifest) = ModelFiles.Load(parse.GetRequiredValue(prior).FullName, TorchRuntime.Resolve(options.Device));
            using (model)
            {
                var started = DateTime.UtcNow;
                using var tuned = await Task.Run(
                    () => RlTuner.Tune(model, options, new SyncProgress<TuningProgress>(p =>
                    {
                        if (p.Step % 10 == 0 || p.Step == p.Steps)
                        {
                            Console.Error.WriteLine($"step {p.Step}/{p.Steps} reward {p.Reward:0.000} KL {p.Kl:0.00} nats, leaps resolved {100 * p.LeapsResolved:0}%, starts on the tonic {100 * p.StartsWithTonic:0}%");
                        }
                    }), cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                var directory = parse.GetRequiredValue(output).FullName;
                var summary = manifest.Training is { } t ? t with { Seconds = Math.Round((DateTime.UtcNow - started).TotalSeconds, 1), Steps = options.Steps } : null;
                var saved = ModelFiles.Save(tuned, directory, summary, TunedName);
                await Console.Out.WriteLineAsync($"Wrote {ModelFiles.ManifestPath(directory, TunedName)} (sha256 {saved.WeightsSha256}), tuned from {manifest.WeightsSha256[..12]} in {options.Steps} steps").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
