using System.Globalization;
using System.Text;
using ComposerBot.TestSupport;

namespace ComposerBot.Benchmarks;

/// <summary>
/// `./composerbot compose` as a whole process on a built tree (start, JIT, model and SoundFont loading,
/// composing, rendering, encoding, files), median of the runs; the fluidsynth command line rendering the
/// same MIDI to WAV (its own start and SoundFont load included) is the baseline in the same run.
/// </summary>
internal static class CliBenchmark
{
    private const string Prompt = "calm lo-fi study beat 30 s";

    public static async Task<string> RunAsync(int runs, CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();

        // The first run builds the tree if it is stale; it is not counted.
        var warm = await ProcessRun.RunAsync(["./composerbot", "compose", Prompt, "-o", work.File("warm")], cancellationToken);
        if (warm.Exit != 0)
        {
            return $"### `composerbot compose` as a process\n\nSkipped: the warm-up run exited with {warm.Exit}.\n";
        }

        var seconds = new List<double>();
        var peaks = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var run = await ProcessRun.RunAsync(["./composerbot", "compose", Prompt, "-o", work.File($"run{i}")], cancellationToken);
            if (run.Exit != 0)
            {
                return $"### `composerbot compose` as a process\n\nFailed: run {i + 1} exited with {run.Exit}.\n";
            }

            seconds.Add(run.Seconds);
            peaks.Add(run.PeakMiB);
        }

        var midi = Directory.GetFiles(work.File("run0"), "*.mid").Single();
        var baseline = await Measure.MedianSecondsAsync(runs, () => ExternalTools.Run("fluidsynth", "-ni", "-q", "-F", work.File("base.wav"), "-r", "48000", ExternalTools.SystemSoundFont, midi));
        var median = Measure.Median(seconds);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"### `./composerbot compose \"{Prompt}\"` as a whole process (built tree, median of {runs})");
        text.AppendLine();
        text.AppendLine("| what | median | max | peak RSS |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        text.AppendLine(inv, $"| `./composerbot compose` (process start to exit) | {median:0.00} s | {seconds.Max():0.00} s | {peaks.Max():0} MiB |");
        text.AppendLine(inv, $"| baseline: `fluidsynth -F` rendering its MIDI to WAV (process) | {baseline:0.00} s | | |");
        text.AppendLine();
        text.AppendLine(inv, $"**The whole command takes {median / baseline:0.00}x the fluidsynth CLI's render of the same MIDI (same run).** Target (issue 19): <= 2.5 s ({(median <= 2.5 ? "met" : "missed")} on this machine).");
        return text.ToString();
    }
}
