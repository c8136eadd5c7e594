using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposerBot.Composition.Requests;
using ComposerBot.Music.Midi;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComposerBot.Benchmarks;

/// <summary>
/// End-to-end compose (plan, generate, arrange, render, normalise, encode MP3, MIDI, piano roll, receipt)
/// of 60-second tracks and 4-second stingers in a warm process, with the time of each phase and the peak
/// resident memory; the fluidsynth command line rendering the same MIDI is the baseline in the same run.
/// </summary>
internal static class ComposeBenchmark
{
    public static async Task<string> RunAsync(int runs, string modelsDirectory, CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rendering:SoundFont"] = ExternalTools.SystemSoundFont,
            ["Models:Directory"] = modelsDirectory,
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddComposerRendering(configuration).AddComposerStudio(configuration).BuildServiceProvider();
        var composer = services.GetRequiredService<TrackComposer>();

        // Warm-up: loads the models and the SoundFont, and JIT-compiles the pipeline once.
        await composer.ComposeAsync(Order(new CompositionRequest { Style = Style.Rock, LengthSeconds = 10 }, work, "warmup"), null, cancellationToken);

        var styles = Enum.GetValues<Style>();
        // Each track is followed by its baseline, the fluidsynth command line only rendering the track's MIDI
        // to WAV: the ratio of each pair is measured under the same load (this machine's speed drifts by 2x).
        var tracks = new List<(ComposeResult Result, double Seconds)>();
        var baselines = new List<double>();
        for (var i = 0; i < runs * 2; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = await composer.ComposeAsync(Order(new CompositionRequest { Style = styles[i % styles.Length], LengthSeconds = 60, Seed = i + 1 }, work, $"t{i}"), null, cancellationToken);
            tracks.Add((result, watch.Elapsed.TotalSeconds));
            watch.Restart();
            ExternalTools.Run("fluidsynth", "-ni", "-q", "-F", work.File("base.wav"), "-r", "48000", ExternalTools.SystemSoundFont, result.MidiPath);
            baselines.Add(watch.Elapsed.TotalSeconds);
        }

        var stingers = new List<(ComposeResult Result, double Seconds)>();
        for (var i = 0; i < runs * 2; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = await composer.ComposeAsync(Order(new CompositionRequest { Style = styles[i % styles.Length], Stinger = true, LengthSeconds = 4, Seed = i + 1 }, work, $"s{i}"), null, cancellationToken);
            stingers.Add((result, watch.Elapsed.TotalSeconds));
        }

        var baseline = Measure.Median(baselines);
        var ratio = Measure.Median(tracks.Select((t, i) => t.Seconds / baselines[i]).ToList());
        var inv = CultureInfo.InvariantCulture;
        var phases = tracks.Concat(stingers).SelectMany(t => t.Result.Timings.Keys).Distinct().ToList();
        static double Phase((ComposeResult Result, double Seconds) run, string phase) => run.Result.Timings.TryGetValue(phase, out var v) ? v.TotalSeconds : 0;
        static double Outside((ComposeResult Result, double Seconds) run) => run.Seconds - run.Result.Timings.Values.Sum(v => v.TotalSeconds);
        var total = Measure.Median(tracks.Select(t => t.Seconds).ToList());
        var stinger = Measure.Median(stingers.Select(t => t.Seconds).ToList());
        var text = new StringBuilder();
        text.AppendLine(inv, $"### Compose end to end ({tracks.Count} tracks of 60 s across the 8 styles, {stingers.Count} stingers of 4 s; warm process)");
        text.AppendLine();
        text.AppendLine("| what | 60-second track p50 | max | 4-second stinger p50 |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        text.AppendLine(inv, $"| **total** | **{total:0.000} s** | {tracks.Max(t => t.Seconds):0.000} s | **{stinger:0.000} s** |");
        foreach (var phase in phases)
        {
            var values = tracks.Select(t => Phase(t, phase)).ToList();
            text.AppendLine(inv, $"| - {phase} | {Measure.Median(values):0.000} s | {values.Max():0.000} s | {Measure.Median(stingers.Select(t => Phase(t, phase)).ToList()):0.000} s |");
        }

        var outside = tracks.Select(Outside).ToList();
        text.AppendLine(inv, $"| - outside the named phases (request, paths, progress, the rest; less the drawing done beside the synthesis and encoding, so it may be negative) | {Measure.Median(outside):0.000} s | {outside.Max():0.000} s | {Measure.Median(stingers.Select(Outside).ToList()):0.000} s |");
        text.AppendLine(inv, $"| baseline: `fluidsynth -F` rendering each track's MIDI to WAV right after it (nothing else) | {baseline:0.000} s | {baselines.Max():0.000} s | |");
        text.AppendLine(inv, $"| peak resident memory of this process (VmHWM) | {Measure.PeakResidentMiB():0} MiB | | |");
        text.AppendLine();
        text.AppendLine(inv, $"**A whole 60-second track takes {ratio:0.00}x the time the fluidsynth CLI needs just to render it (median of the pairs' ratios), a stinger {stinger / baseline:0.00}x of the median baseline.** Targets (issue 19): track <= 2.1x ({(ratio <= 2.1 ? "met" : "missed")}); track <= 1.5 s ({(total <= 1.5 ? "met" : "missed")} on this machine); stinger <= 0.2 s ({(stinger <= 0.2 ? "met" : "missed")} on this machine); peak RSS <= 800 MB ({(Measure.PeakResidentMiB() <= 800 ? "met" : "missed")}).");
        return text.ToString();
    }

    private static ComposeOrder Order(CompositionRequest request, TempDirectory work, string name) => new(request, null, work.Path, name, AudioFormat.Mp3);
}
