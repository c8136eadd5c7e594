using System.CommandLine;
using System.Globalization;
using ComposerBot.Evaluation;
using ComposerBot.Generation.Neural;
using ComposerBot.Studio;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot critic --corpus PATH</c>: fits the neural model's melody critic (which of several sampled
/// melodies compose keeps) on the corpus's valid split and writes it beside the model, where compose and
/// evaluate find it.
/// </summary>
public static class CriticCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The neural model's manifest.", DefaultValueFactory = _ => new FileInfo(ModelFiles.ManifestPath(ModelStore.DefaultDirectory(Environment.GetEnvironmentVariable("COMPOSERBOT_HOME")))) };
        var output = new Option<FileInfo?>("--out", "-o") { Description = $"Where to write the critic. Default: {MelodyCritic.FileName} beside the model." };
        var count = new Option<int>("--count", "-n") { Description = "How many valid-split tunes, and as many melodies the model writes with their conditioning, the critic learns from.", DefaultValueFactory = _ => 400 };
        var seed = new Option<int>("--seed") { Description = "Seed for the choice of tunes and the melodies.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "Where the neural model runs: auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var corpus = new CorpusOptions();
        var command = new Command("critic", "Fit the critic that keeps the most human of the melodies the model samples per request, on the corpus's valid split (written beside the model).")
        {
            model, output, count, seed, device,
        };
        corpus.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(count) is not (>= 2 and <= 5000) and var n)
            {
                throw new CliInputException($"--count must be 2-5000, not {n}.");
            }

            var modelPath = parse.GetRequiredValue(model).FullName;
            var manifest = ModelFiles.ReadManifest(modelPath); // no model: fail before any corpus work
            var outPath = parse.GetValue(output)?.FullName ?? Path.Combine(Path.GetDirectoryName(modelPath)!, MelodyCritic.FileName);
            var request = new CriticRequest(modelPath, corpus.ResolveCorpus(parse), corpus.ResolveCache(parse))
            {
                Count = parse.GetValue(count),
                Seed = parse.GetValue(seed),
                Device = parse.GetRequiredValue(device),
                Calibration = SamplingCalibration.LoadFor(Path.Combine(Path.GetDirectoryName(modelPath)!, SamplingCalibration.FileName), manifest.WeightsSha256),
            };
            var critic = await ConsoleProgress.RunAsync(ConsoleProgress.Enabled(json: false), progress => Task.Run(
                () => CriticFitter.Fit(request, new ProgressAdapter<EvaluationStage>(progress, s => (s.Name, s.Fraction)), cancellationToken),
                cancellationToken)).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
            critic.Save(outPath);
            var fit = critic.Fit;
            var accuracy = fit.CrossValidatedAccuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $"{a:0.0%} cross-validated") : "too few to cross-validate";
            await Console.Out.WriteLineAsync(
                $"Wrote {outPath}: tells the model's melodies from {fit.Pieces} valid-split tunes {accuracy}{(request.Calibration is null ? "" : " (sampled with the model's calibration)")}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
