using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposerBot.Composition;
using ComposerBot.Generation.Neural;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.Metrics;
using ComposerBot.Studio;

namespace ComposerBot.Benchmarks;

/// <summary>
/// The originality guard over many generations of the neural composer compose uses (the tuned one when shipped): how many first melodies
/// share a run longer than the threshold with a training melody, and how many kept melodies still do after
/// the guard (threshold 10 intervals, 5 attempts, the product's defaults).
/// </summary>
internal static class OriginalityReport
{
    public static string Run(int count, string modelsDirectory, CancellationToken cancellationToken)
    {
        var store = new ModelStore(modelsDirectory);
        var manifestPath = store.NeuralManifest; // what compose loads
        if (!File.Exists(manifestPath))
        {
            return $"### Originality guard\n\nSkipped: no model at {manifestPath}.\n";
        }

        var (model, manifest) = ModelFiles.Load(manifestPath, TorchRuntime.Resolve("cpu"));
        using (model)
        {
            // As compose makes it: the forms, the sampling calibration and the melody critic fitted for these weights.
            var calibration = store.CalibrationFor(manifest.WeightsSha256);
            var critic = store.CriticFor(manifest.WeightsSha256);
            var composer = new NeuralComposer(model, manifest.WeightsSha256, new SamplingOptions { Calibration = calibration, Critic = critic }, store.FormsIfAny);
            var options = new ComposerOptions();
            var guard = new OriginalityGuard(store.Index, options.OriginalityThreshold, options.OriginalityAttempts);
            var random = new Random(2026);
            (int, int)[] meters = [(4, 4), (3, 4), (6, 8), (2, 4)];
            var first = new List<int>();
            var kept = new List<int>();
            var attempts = new int[options.OriginalityAttempts + 1];
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var (numerator, denominator) = meters[random.Next(meters.Length)];
                var spec = new LeadSheetSpec(
                    KeySignature.FromTonic(random.Next(12), random.Next(3) == 0 ? KeyMode.Minor : KeyMode.Major),
                    new MeterChange(0, numerator, denominator),
                    random.Next(8, 33),
                    random.Next(70, 170),
                    i + 1) { Feel = LeadSheetTokenizer.Feels[random.Next(LeadSheetTokenizer.Feels.Length)] };
                var firstRun = -1;
                var (_, originality, used) = guard.Compose(composer, spec, sheet =>
                {
                    if (firstRun < 0)
                    {
                        firstRun = store.Index.Check(MelodySymbols.Of(sheet.Melody, Music.LeadSheets.LeadSheet.Resolution)).LongestSharedRun;
                    }

                    return sheet;
                }, cancellationToken);
                first.Add(firstRun);
                kept.Add(originality.LongestSharedRun);
                attempts[used]++;
            }

            var inv = CultureInfo.InvariantCulture;
            var threshold = options.OriginalityThreshold;
            var text = new StringBuilder();
            text.AppendLine(inv, $"### Originality guard ({count} generations of model {manifest.WeightsSha256[..12]}{(store.HasForms ? $" following the forms of {ModelStore.FormsFile} {store.FormsSha256[..12]}" : ", no forms")}{(calibration is null ? ", uncalibrated" : ", with its sampling calibration")}{(critic is null ? "" : " and its melody critic")}, threshold {threshold} intervals, up to {options.OriginalityAttempts} attempts; {watch.Elapsed.TotalSeconds:0} s)");
            text.AppendLine();
            text.AppendLine("| | first melody | kept melody (after the guard) |");
            text.AppendLine("| --- | ---: | ---: |");
            text.AppendLine(inv, $"| sharing a run over {threshold} intervals with a training melody | {first.Count(r => r > threshold)} ({100.0 * first.Count(r => r > threshold) / count:0.0}%) | {kept.Count(r => r > threshold)} ({100.0 * kept.Count(r => r > threshold) / count:0.0}%) |");
            text.AppendLine(inv, $"| mean longest shared run | {first.Average():0.0} | {kept.Average():0.0} |");
            text.AppendLine(inv, $"| longest shared run, max | {first.Max()} | {kept.Max()} |");
            text.AppendLine();
            text.AppendLine(inv, $"Melodies written per request: {string.Join(", ", Enumerable.Range(1, options.OriginalityAttempts).Select(a => $"{a}: {attempts[a]}"))}.");
            return text.ToString();
        }
    }
}
