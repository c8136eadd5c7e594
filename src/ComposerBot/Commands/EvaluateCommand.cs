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
        var chromatic = new Option<double>("--chromatic-share") { Description = "The largest share of the model's melody notes that may leave the key, each a step from the note before (0-1).", DefaultValueFactory = _ => new SamplingOptions().ChromaticShare };
        var corpus = new CorpusOptions();
        var command = new Command("evaluate", "Measure a composer against the held-out and training splits: theory profile, mgeval OA/KL, MusPy metrics, originality, plots.")
        {
            generator, count, output, seed, model, device, noForms, topP, chromatic,
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

            var outDirectory = parse.GetRequiredValue(output).FullName;
            var request = new EvaluationRequest(parse.GetValue(generator), n, outDirectory, corpus.ResolveCorpus(parse), corpus.ResolveCache(parse))
            {
                Seed = parse.GetValue(seed),
                ModelPath = parse.GetRequiredValue(model).FullName,
                Device = parse.GetRequiredValue(device),
                UseForms = !parse.GetValue(noForms),
                TopP = parse.GetValue(topP),
                ChromaticShare = parse.GetValue(chromatic),
            };
            if (request.Generator == GeneratorKind.Model)
            {
                // Fail before any corpus work when there is no model, or it cannot load.
                ModelFiles.ReadManifest(request.ModelPath);
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
}
