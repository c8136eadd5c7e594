using System.CommandLine;
using System.Globalization;
using System.Text;
using ComposerBot.Evaluation;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Neural.Training;
using ComposerBot.Generation.Neural.Tuning;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music.Metrics;
using ComposerBot.Studio;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot tune</c>: fine-tunes the shipped neural composer with music-theory rewards (RL Tuner's
/// method, a policy gradient regularised by KL to the prior) and writes it beside the prior as
/// composer-tuned.json/.weights. Learns from its own samples; with the corpus at hand it measures the tuned model's validation NLL.
/// </summary>
public static class TuneCommand
{
    public const string TunedName = ModelStore.TunedName;

    public static Command Create()
    {
        var models = ModelStore.DefaultDirectory(Environment.GetEnvironmentVariable("COMPOSERBOT_HOME"));
        var prior = new Option<FileInfo>("--prior") { Description = "The model to start from (its manifest).", DefaultValueFactory = _ => new FileInfo(ModelFiles.ManifestPath(models)) };
        var from = new Option<FileInfo?>("--from") { Description = "Go on from a checkpoint of an earlier run (its manifest, e.g. <out>/checkpoints/composer-tuned-step100.json); the KL is still taken from --prior." };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write composer-tuned.json/.weights.", DefaultValueFactory = _ => new DirectoryInfo(models) };
        var steps = new Option<int>("--steps") { Description = "Policy-gradient steps.", DefaultValueFactory = _ => 300 };
        var batch = new Option<int>("--batch") { Description = "Lead sheets sampled per step.", DefaultValueFactory = _ => 16 };
        var beta = new Option<double>("--kl-weight") { Description = "Weight of the per-token KL divergence from the prior in the loss.", DefaultValueFactory = _ => 1.0 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam's step size.", DefaultValueFactory = _ => 1e-5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampled requests.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var compare = new Option<int>("--compare") { Description = "Lead sheets each model writes for the side-by-side report (tuning-report.md); 0 skips it.", DefaultValueFactory = _ => 200 };
        var updates = new Option<int>("--updates-per-batch") { Description = "Gradient updates on each sampled batch (sampling is most of a step's time).", DefaultValueFactory = _ => 1 };
        var checkpoints = new Option<int>("--checkpoint-every") { Description = "Save the policy every N steps to <out>/checkpoints (0: only at the end).", DefaultValueFactory = _ => 50 };
        var reward = new Option<string>("--reward") { Description = "whole: RL Tuner's whole reward and a structure term aimed at the training tunes' repetition (needs the corpus); leaps: the tonic start and resolved leaps only.", DefaultValueFactory = _ => "whole" };
        reward.AcceptOnlyFromAmong("whole", "leaps");
        var reportOnly = new Option<bool>("--report-only") { Description = "Do not tune: compare the composer-tuned model already in --out with the prior." };
        var corpus = new CorpusOptions();
        var command = new Command("tune", "Fine-tune the neural composer with music-theory rewards (policy gradient with a KL penalty to the prior).")
        {
            prior, from, output, steps, batch, beta, learningRate, seed, device, compare, updates, checkpoints, reward, reportOnly,
        };
        corpus.AddTo(command);
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
                CheckpointEvery = parse.GetValue(checkpoints),
                UpdatesPerBatch = parse.GetValue(updates),
            };
            if (options.Steps < 1 || options.Batch < 2 || options.KlWeight < 0 || options.LearningRate <= 0 || options.CheckpointEvery < 0 || options.UpdatesPerBatch < 1)
            {
                throw new CliInputException("--steps and --updates-per-batch must be at least 1, --batch at least 2, --kl-weight and --checkpoint-every at least 0 and --learning-rate above 0.");
            }

            var (model, manifest) = ModelFiles.Load(parse.GetRequiredValue(prior).FullName, TorchRuntime.Resolve(options.Device));
            var directory = parse.GetRequiredValue(output).FullName;
            using (model)
            {
                if (parse.GetValue(reportOnly))
                {
                    var (existing, existingManifest) = ModelFiles.Load(ModelFiles.ManifestPath(directory, TunedName), TorchRuntime.Resolve(options.Device));
                    using (existing)
                    {
                        await ReportAsync(model, existing, directory, Math.Max(1, parse.GetValue(compare)), options.Seed + 1, $"The tuned model: {TunedName}.weights (sha256 {existingManifest.WeightsSha256}); the prior: sha256 {manifest.WeightsSha256}.", cancellationToken).ConfigureAwait(false);
                    }

                    return ExitCodes.Success;
                }

                // The tuned model's own validation NLL needs the corpus; without one at hand the manifest says it was not measured.
                string? corpusPath = null;
                try
                {
                    corpusPath = corpus.ResolveCorpus(parse);
                }
                catch (CliInputException) when (parse.GetValue(corpus.Corpus) is null)
                {
                    // Said once the model is written: no corpus only means no validation figure.
                }

                var fromFile = parse.GetValue(from);
                var fromLoaded = fromFile is null ? ((MusicTransformer Model, ModelManifest Manifest)?)null : ModelFiles.Load(fromFile.FullName, TorchRuntime.Resolve(options.Device));
                using var start = fromLoaded?.Model;
                var earlier = fromLoaded?.Manifest.Tuning;
                if (start is not null && start.Config != model.Config)
                {
                    throw new CliInputException($"--from {fromFile!.Name} has another shape than the prior {parse.GetRequiredValue(prior).Name}.");
                }

                var whole = parse.GetRequiredValue(reward) == "whole";
                if (whole && corpusPath is null)
                {
                    throw new CliInputException("--reward whole aims the structure term at the training tunes' repetition: pass --corpus PATH (or use --reward leaps).");
                }

                var loaded = corpusPath is null ? null : await corpus.LoadAsync(parse, cancellationToken).ConfigureAwait(false);
                var structureTarget = whole ? TheoryProfile.Of(loaded!.In(Corpus.Split.Train).Select(p => p.LeadSheet)).NotesInRepeatedMotifPercent / 100 : (double?)null;
                options = options with { Rules = whole ? RlTuner.WholeReward : RlTuner.LeapRules, StructureTarget = structureTarget };
                if (structureTarget is { } target)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RL Tuner's whole reward; structure term aimed at {100 * target:0.0}% of notes in a repeated motif (the training tunes')."));
                }

                var checkpointDirectory = Path.Combine(directory, "checkpoints");
                var started = DateTime.UtcNow;
                using var tuned = await Task.Run(
                    () => RlTuner.Tune(model, options, new SyncProgress<TuningProgress>(p =>
                    {
                        if (p.Step % 10 == 0 || p.Step == p.Steps)
                        {
                            Console.Error.WriteLine($"step {p.Step}/{p.Steps} reward {p.Reward:0.000} KL {p.Kl:0.00} nats, {p.LeapsPerSheet:0.0} leaps a sheet, {100 * p.LeapsResolved:0}% resolved (p {Percent(p.ExpectedResolution)}), starts on the tonic {100 * p.StartsWithTonic:0}% (p {Percent(p.ExpectedTonic)})"
                                + (whole ? $"; p {string.Join(", ", p.Obedience.Where(o => o.Key is not (RlTuner.Rule.TonicStart or RlTuner.Rule.LeapResolution)).Select(o => $"{o.Key} {Percent(o.Value)}"))}; melody reward {p.SequenceReward:0.000}" : ""));
                        }
                    }),
                    (policy, step) =>
                    {
                        var name = $"{TunedName}-step{step}";
                        var saved = ModelFiles.Save(policy, checkpointDirectory, null, name, Summary(manifest, earlier, step, (DateTime.UtcNow - started).TotalSeconds, options.Device, null));
                        Console.Error.WriteLine($"step {step}: checkpoint {ModelFiles.ManifestPath(checkpointDirectory, name)} (sha256 {saved.WeightsSha256[..12]})");
                    },
                    start,
                    cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                var seconds = (DateTime.UtcNow - started).TotalSeconds;
                SequenceScore? valid = null;
                if (loaded is not null)
                {
                    var pieces = loaded.In(Corpus.Split.Valid).Select(p => new TrainingPiece(p.LeadSheet, LeadSheetTokenizer.FeelOf(p.Type))).ToList();
                    valid = await Task.Run(() => Trainer.Validate(tuned, pieces, cancellationToken), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    Console.Error.WriteLine("No corpus found: the tuned model's validation NLL was not measured (pass --corpus PATH to measure it).");
                }

                var saved = ModelFiles.Save(tuned, directory, null, TunedName, Summary(manifest, earlier, options.Steps, seconds, options.Device, valid));
                await Console.Out.WriteLineAsync($"Wrote {ModelFiles.ManifestPath(directory, TunedName)} (sha256 {saved.WeightsSha256}), tuned from {manifest.WeightsSha256[..12]} in {saved.Tuning!.Steps} steps over {saved.Tuning.Runs} run(s)" +
                    (valid is { } v ? string.Create(CultureInfo.InvariantCulture, $"; valid NLL {v.PerToken:0.000} nats/token, {v.PerNote:0.000} nats/note") : "")).ConfigureAwait(false);
                if (parse.GetValue(compare) > 0)
                {
                    var rewarded = structureTarget is { } t
                        ? string.Create(CultureInfo.InvariantCulture, $"RL Tuner's whole reward ({string.Join(", ", options.Rules)}; the structure term aimed at {100 * t:0.0}% of notes in a repeated motif, the training tunes')")
                        : "the tonic start and resolved leaps";
                    var how = string.Create(CultureInfo.InvariantCulture, $"{(fromFile is null ? "Tuned" : $"Went on from {fromFile.Name}")} for {options.Steps} steps of {options.Batch} ({options.UpdatesPerBatch} update{(options.UpdatesPerBatch == 1 ? "" : "s")} each) rewarding {rewarded}, Adam {options.LearningRate:G3}, KL weight {options.KlWeight:G3}. The weights: {TunedName}.weights, sha256 {saved.WeightsSha256}; the prior's: {manifest.WeightsSha256}.");
                    await ReportAsync(model, tuned, directory, parse.GetValue(compare), options.Seed + 1, how, cancellationToken).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The tuning summary of this run, added to the chain it went on from: steps and seconds summed, NLL as measured now.</summary>
    private static TuningSummary Summary(ModelManifest prior, TuningSummary? earlier, int steps, double seconds, string device, SequenceScore? valid) =>
        new(prior.WeightsSha256, (earlier?.Runs ?? 0) + 1, (earlier?.Steps ?? 0) + steps, Math.Round((earlier?.Seconds ?? 0) + seconds, 1), Trainer.Hardware(TorchRuntime.Resolve(device)),
            valid is { } v ? Math.Round(v.PerToken, 4) : null, valid is { } n ? Math.Round(n.PerNote, 4) : null);

    /// <summary>A probability as a whole percentage; a dash where a rule had no notes in the batch.</summary>
    private static string Percent(double p) => double.IsNaN(p) ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100 * p:0}%");

    /// <summary>Writes tuning-report.md: the prior and the tuned model side by side, the published columns, the targets.</summary>
    private static async Task ReportAsync(MusicTransformer prior, MusicTransformer tuned, string directory, int count, int seed, string howTuned, CancellationToken cancellationToken)
    {
        var c = await Task.Run(() => TuningComparison.Measure(prior, tuned, count, seed, cancellationToken), cancellationToken).ConfigureAwait(false);
        var inv = CultureInfo.InvariantCulture;
        string Verdict(bool met) => met ? "met" : "not met";
        var md = new StringBuilder();
        md.AppendLine("# RL fine-tuning: the prior and the tuned model side by side");
        md.AppendLine();
        md.AppendLine(inv, $"{c.LeadSheets} lead sheets from each model on the same requests (random feel, key, meter and 8-16 bars), through the product's grammar-constrained sampler. {howTuned}");
        md.AppendLine();
        md.Append(ReportWriter.TheoryTable([("prior", c.Prior), ("tuned", c.Tuned)]));
        md.AppendLine(inv, $"| mean log p per token under the prior | {c.PriorLogP:0.000} | {c.TunedLogPUnderPrior:0.000} ({100 * c.LogPChange:+0.0;-0.0}%) | | |");
        md.AppendLine(inv, $"| KL(tuned ‖ prior) | | {c.KlPerToken:0.0000} nats/token, {c.KlPerLeadSheet:0.00} nats/lead sheet | | |");
        md.AppendLine();
        md.AppendLine("The rules the tuner rewards that the published table does not count:");
        md.AppendLine();
        md.AppendLine("| rule | prior | tuned |");
        md.AppendLine("| --- | ---: | ---: |");
        md.AppendLine(inv, $"| ends on the tonic | {c.PriorRules.EndsOnTonicPercent:0.0}% | {c.TunedRules.EndsOnTonicPercent:0.0}% |");
        md.AppendLine(inv, $"| intervals not harmonious (tritone, seventh, over an octave) | {c.PriorRules.UnharmoniousIntervalPercent:0.00}% | {c.TunedRules.UnharmoniousIntervalPercent:0.00}% |");
        md.AppendLine(inv, $"| notes that are a third leap in a row | {c.PriorRules.LeapRunPercent:0.00}% | {c.TunedRules.LeapRunPercent:0.00}% |");
        md.AppendLine();
        md.AppendLine("| target | tuned | |");
        md.AppendLine("| --- | ---: | --- |");
        md.AppendLine(inv, $"| excessive repeats ≤ 0.1% | {c.Tuned.ExcessivelyRepeatedPercent:0.00}% | {Verdict(c.Tuned.ExcessivelyRepeatedPercent <= 0.1)} |");
        md.AppendLine(inv, $"| notes not in key ≤ 1% | {c.Tuned.NotInKeyPercent:0.00}% | {Verdict(c.Tuned.NotInKeyPercent <= 1)} |");
        md.AppendLine(inv, $"| starts with the tonic ≥ 90% | {c.Tuned.StartsWithTonicPercent:0.00}% | {Verdict(c.Tuned.StartsWithTonicPercent >= 90)} |");
        md.AppendLine(inv, $"| leaps resolved ≥ 92% | {c.Tuned.LeapsResolvedPercent:0.00}% | {Verdict(c.Tuned.LeapsResolvedPercent >= 92)} |");
        md.AppendLine(inv, $"| notes in a motif ≥ 75% | {c.Tuned.NotesInMotifPercent:0.00}% | {Verdict(c.Tuned.NotesInMotifPercent >= 75)} |");
        md.AppendLine(inv, $"| mean log p within 15% of the prior's | {100 * c.LogPChange:+0.0;-0.0}% | {Verdict(Math.Abs(c.LogPChange) <= 0.15)} |");
        md.AppendLine();
        md.AppendLine("OA against the held-out set (the other target) needs the corpus: `./composerbot evaluate --generator model --model <dir>/composer-tuned.json --corpus ../shared/corpus`.");
        var path = Path.Combine(directory, "tuning-report.md");
        await File.WriteAllTextAsync(path, md.ToString(), cancellationToken).ConfigureAwait(false);
        await Console.Out.WriteLineAsync(md.ToString()).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"Wrote {path}").ConfigureAwait(false);
    }
}
