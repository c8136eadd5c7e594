using System.CommandLine;
using ComposerBot.Evaluation;
using ComposerBot.Generation.Neural;
using ComposerBot.Studio;

namespace ComposerBot.Cli.Commands;

/// <summary>
/// <c>composerbot calibrate --corpus PATH</c>: fits the neural model's sampling calibration (step sizes and note
/// lengths) on the corpus's valid split and writes it beside the model, where compose and evaluate find it.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The neural model's manifest.", DefaultValueFactory = _ => new FileInfo(ModelFiles.ManifestPath(ModelStore.DefaultDirectory(Environment.GetEnvironmentVariable("COMPOSERBOT_HOME")))) };
        var output = new Option<FileInfo?>("--out", "-o") { Description = $"Where to write the calibration. Default: {SamplingCalibration.FileName} beside the model." };
        var count = new Option<int>("--count", "-n") { Description = "How many melodies each round writes (with the conditioning of as many valid-split tunes).", DefaultValueFactory = _ => 200 };
        var iterations = new Option<int>("--iterations") { Description = "Rounds of fitting (1-20).", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Seed for the melodies.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "Where the neural model runs: auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var shares = new Option<bool>("--sixteenth-shares") { Description = "Also fit, per feel, the share of tunes with sixteenth notes (each melody then decides by its seed whether it may have any); compose's shipped calibration has none." };
        var corpus = new CorpusOptions();
        var command = new Command("calibrate", "Fit the neural model's step sizes and note lengths to the corpus's valid split (sampling offsets, written beside the model).")
        {
            model, output, count, iterations, seed, device, shares,
        };
        corpus.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(count) is not (>= 2 and <= 5000) and var n)
            {
                throw new CliInputException($"--count must be 2-5000, not {n}.");
            }

            if (parse.GetValue(iterations) is not (>= 1 and <= 20) and var rounds)
            {
                throw new CliInputException($"--iterations must be 1-20, not {rounds}.");
            }

            var modelPath = parse.GetRequiredValue(model).FullName;
            ModelFiles.ReadManifest(modelPath); // no model: fail before any corpus work
            var outPath = parse.GetValue(output)?.FullName ?? Path.Combine(Path.GetDirectoryName(modelPath)!, SamplingCalibration.FileName);
            var request = new CalibrationRequest(modelPath, corpus.ResolveCorpus(parse), corpus.ResolveCache(parse))
            {
                Count = parse.GetValue(count),
                Iterations = parse.GetValue(iterations),
                Seed = parse.GetValue(seed),
                Device = parse.GetRequiredValue(device),
                SixteenthShares = parse.GetValue(shares),
            };
            var calibration = await ConsoleProgress.RunAsync(ConsoleProgress.Enabled(json: false), progress => Task.Run(
                () => SamplingCalibrator.Fit(request, new ProgressAdapter<EvaluationStage>(progress, s => (s.Name, s.Fraction)), cancellationToken),
                cancellationToken)).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
            calibration.Save(outPath);
            var fit = calibration.Fit;
            await Console.Out.WriteLineAsync(
                $"Wrote {outPath}: step sizes {fit.IntervalDistanceBefore:0.000} -> {fit.IntervalDistanceAfter:0.000}, note lengths {fit.DurationDistanceBefore:0.000} -> {fit.DurationDistanceAfter:0.000} " +
                $"from the valid split's (total variation; {fit.Pieces} melodies, {fit.Iterations} rounds)").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
