using System.CommandLine;
using ComposerBot.Evaluation;
using ComposerBot.Generation.Neural;
using ComposerBot.Studio;

namespace ComposerBot.Cli.Commands;

/// <summary><c>composerbot evaluate --generator ngram --count 200 --out DIR</c>: the measuring instrument.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var generator = new Option<GeneratorKind>("--generator", "-g")
        {
            Description = "What to evaluate: heldout (human tunes never trained on), ngram (the baseline) or model (the neural composer).",
            Required = true,
        };
        var count = new Option<int>("--count", "-n") { Description = "How many pieces to generate and to sample from each reference split.", DefaultValueFactory = _ => 200 };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Where to write report.md, report.json and the plots.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed for generation and sampling.", DefaultValueFactory = _ => 1 };
        var model = new Option<FileInfo>("--model") { Description = "The neural model's manifest, for --generator model.", DefaultValueFactory = _ => new FileInfo(ModelFiles.ManifestPath(ModelStore.DefaultDirectory(Environment.GetEnvironmentVariable("COMPOSERBOT_HOME")))) };
        var device = new Option<string>("--device") { Description = "Where the neural model runs: auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var noForms = new Option<bool>("--no-forms") { Description = "Let the model write every bar freely instead of following forms of the training tunes (as compose does): to measure the model alone." };
        var topP = new Option<double>("--top-p") { Description = "The model's nucleus sampling mass (0-1], to measure another setting than compose's.", DefaultValueFactory = _ => new SamplingOptions().TopP };
        var chromatic = new Option<double>("--chromatic-share") { Description = "The largest share of the model's melody notes that may leave the key, where the model puts them (0-1).", DefaultValueFactory = _ => new SamplingOptions().ChromaticShare };
        var temperature = new Option<double>("--temperature") { Description = "The model's sampling temperature (0-2]: 1 samples the model as trained, lower is more conservative.", DefaultValueFactory = _ => 1.0 };
        var penalty = new Option<double>("--recurrence-penalty") { Description = "Logit taken from a pitch per time its pitch class sounded in the melody's last notes (0: none), to measure another setting than compose's.", DefaultValueFactory = _ => new SamplingOptions().RecurrencePenalty };
        var otherTopP = new Option<double>("--other-top-p") { Description = "The nucleus mass (0-1] where no pitch may come next (positions, bar lines, durations), to measure another setting than compose's.", DefaultValueFactory = _ => new SamplingOptions().OtherTopP };
        var settled = new Option<bool>("--settled-ending") { Description = "Every melody note from the middle of the last bar on is the tonic (off in compose), to measure it." };
        var doubledLeaps = new Option<bool>("--doubled-leaps") { Description = "Let the model leap a fifth or more the same way as a leap not yet resolved (compose does not), to measure it." };
        var critic = new Option<string>("--critic") { Description = "The critic that keeps the most human of several melodies per piece: auto (the one beside the model, when fitted for its weights, as compose uses), none, or a file.", DefaultValueFactory = _ => "auto" };
        var candidates = new Option<int>("--candidates") { Description = "Melodies sampled per piece where a critic chooses (1-16), to measure another setting than compose's.", DefaultValueFactory = _ => new SamplingOptions().Candidates };
        var calibration = new Option<string>("--calibration") { Description = "The model's sampling calibration: auto (the one beside the model, when fitted for its weights, as compose uses), none, or a file.", DefaultValueFactory = _ => "auto" };
        var corpus = new CorpusOptions();
        var command = new Command("evaluate", "Measure a composer against the held-out and training splits: theory profile, mgeval OA/KL, MusPy metrics, originality, plots.")
        {
            generator, count, output, seed, model, device, noForms, topP, chromatic, temperature, penalty, otherTopP, calibration, critic, candidates, settled, doubledLeaps,
        };
        corpus.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(count);
            if (n < 2)
            {
                throw new CliInputException($"--count must be at least 2 (distances need pairs), not {n}.");
            }

            if (parse.GetValue(topP) is not (> 0 and <= 1) and var p)
            {
                throw new CliInputException($"--top-p must be above 0 and at most 1, not {p}.");
            }

            if (parse.GetValue(chromatic) is not (>= 0 and <= 1) and var share)
            {
                throw new CliInputException($"--chromatic-share must be from 0 to 1, not {share}.");
            }

            if (parse.GetValue(otherTopP) is not (> 0 and <= 1) and var other)
            {
                throw new CliInputException($"--other-top-p must be above 0 and at most 1, not {other}.");
            }

            if (parse.GetValue(penalty) is not (>= 0 and <= 10) and var recurrence)
            {
                throw new CliInputException($"--recurrence-penalty must be from 0 to 10, not {recurrence}.");
            }

            if (parse.GetValue(temperature) is not (> 0 and <= 2) and var degrees)
            {
                throw new CliInputException($"--temperature must be above 0 and at most 2, not {degrees}.");
            }

            if (parse.GetValue(candidates) is not (>= 1 and <= 16) and var draws)
            {
                throw new CliInputException($"--candidates must be 1-16, not {draws}.");
            }

            var outDirectory = parse.GetRequiredValue(output).FullName;
            var request = new EvaluationRequest(parse.GetValue(generator), n, outDirectory, corpus.ResolveCorpus(parse), corpus.ResolveCache(parse))
            {
                Seed = parse.GetValue(seed),
                ModelPath = parse.GetRequiredValue(model).FullName,
                Device = parse.GetRequiredValue(device),
                UseForms = !parse.GetValue(noForms),
                TopP = parse.GetValue(topP),
                ChromaticShare = parse.GetValue(chromatic),
                Temperature = parse.GetValue(temperature),
                RecurrencePenalty = parse.GetValue(penalty),
                OtherTopP = parse.GetValue(otherTopP),
                SettledEnding = parse.GetValue(settled),
                ResolveLeaps = !parse.GetValue(doubledLeaps),
                Candidates = parse.GetValue(candidates),
            };
            if (request.Generator == GeneratorKind.Model)
            {
                // Fail before any corpus work when there is no model, or it cannot load.
                var manifest = ModelFiles.ReadManifest(request.ModelPath);
                request = request with
                {
                    Calibration = Fitted("--calibration", parse.GetRequiredValue(calibration), request.ModelPath, SamplingCalibration.FileName, path => SamplingCalibration.LoadFor(path, manifest.WeightsSha256)),
                    Critic = Fitted("--critic", parse.GetRequiredValue(critic), request.ModelPath, MelodyCritic.FileName, path => MelodyCritic.LoadFor(path, manifest.WeightsSha256)),
                };
            }

            var report = await ConsoleProgress.RunAsync(ConsoleProgress.Enabled(json: false), progress => Task.Run(
                () => Evaluator.Run(request, new ProgressAdapter<EvaluationStage>(progress, s => (s.Name, s.Fraction)), cancellationToken),
                cancellationToken)).ConfigureAwait(false);

            Directory.CreateDirectory(outDirectory);
            var plots = PlotWriter.WriteAll(report, outDirectory);
            await ReportWriter.WriteAsync(report, plots, outDirectory, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(
                $"Wrote {Path.Combine(outDirectory, "report.md")}, report.json and {plots.Count} plots: mean OA {EvaluationReport.MeanOverlap(report.GeneratedVsHeldout):0.000} " +
                $"({report.GeneratorName}) vs {EvaluationReport.MeanOverlap(report.TrainingVsHeldout):0.000} (training); held-out n-gram NLL {report.Heldout.NgramNllPerNote:0.000} nats/note" +
                (report.ModelLikelihood is { } m ? $", model NLL {m.NllPerNote:0.000} nats/note" : "") +
                (report.GeneratedVsHeldoutTest is { } t ? $"; a classifier tells it from human tunes {100 * t.Accuracy:0.0}% of the time" + (report.HumanVsHumanTest is { } h ? $" (human vs human: {100 * h.Accuracy:0.0}%)" : "") : "")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// A file fitted for the model's weights (its calibration, its critic): auto, the one beside the model when
    /// fitted for these weights; none; or a file that must be fitted for them.
    /// </summary>
    private static T? Fitted<T>(string option, string choice, string modelPath, string fileName, Func<string, T?> load)
        where T : class
    {
        switch (choice)
        {
            case "none":
                return null;
            case "auto":
                return load(Path.Combine(Path.GetDirectoryName(modelPath)!, fileName));
        }

        if (!File.Exists(choice))
        {
            throw new CliInputException($"{option}: no such file: {choice} (or give auto or none).");
        }

        return load(choice) ?? throw new CliInputException($"{option}: {choice} was fitted for other weights than {Path.GetFileName(modelPath)}'s.");
    }
}
