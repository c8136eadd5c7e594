using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Synthesis;
using ComposerBot.Studio;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Benchmarks;

/// <summary>
/// The default SoundFont (MuseScore General, a compressed .sf3) against FluidR3_GM in one warm process: the
/// same 60-second track of every style (same seed) composed end to end with each, alternating, after each
/// style has been played once (its presets loaded); the first-use load of each SoundFont (a fresh engine);
/// the process's peak resident memory with both loaded and every style played.
/// </summary>
internal static class SoundFontBenchmark
{
    public const string MuseScore = "/usr/share/sounds/sf3/MuseScore_General_Full.sf3";

    public static async Task<string> RunAsync(int runs, string modelsDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(MuseScore))
        {
            return $"### SoundFonts\n\nSkipped: {MuseScore} is not installed (musescore-general-soundfont).\n";
        }

        using var work = new TempDirectory();
        var loads = new Dictionary<string, double>();

        // The default first and alone, as `serve` runs it: a fresh engine (timed), then the models, the SoundFont
        // and every style's presets; the peak is read before FluidR3_GM (which loads every sample) is touched.
        loads[MuseScore] = TimeLoad(MuseScore);
        var muse = Provider(MuseScore, modelsDirectory);
        var styles = Enum.GetValues<Style>();
        var firstUse = new List<double>();
        foreach (var style in styles)
        {
            firstUse.Add((await ComposeAsync(muse, style, 0, work, cancellationToken)).Seconds);
        }

        var servePeak = Measure.PeakResidentMiB();
        loads[ExternalTools.SystemSoundFont] = TimeLoad(ExternalTools.SystemSoundFont);
        var fluid = Provider(ExternalTools.SystemSoundFont, modelsDirectory);
        await using (fluid)
        await using (muse)
        {
            foreach (var style in styles)
            {
                await ComposeAsync(fluid, style, 0, work, cancellationToken);
            }

            var pairs = new List<(Style Style, double Fluid, double Muse, double FluidSynth, double MuseSynth)>();
            for (var i = 0; i < runs * styles.Length; i++)
            {
                var style = styles[i % styles.Length];
                var a = await ComposeAsync(fluid, style, i + 1, work, cancellationToken);
                var b = await ComposeAsync(muse, style, i + 1, work, cancellationToken);
                pairs.Add((style, a.Seconds, b.Seconds, a.Synthesis, b.Synthesis));
            }

            var inv = CultureInfo.InvariantCulture;
            var text = new StringBuilder();
            text.AppendLine(inv, $"### SoundFonts: MuseScore General (default) against FluidR3_GM ({pairs.Count} tracks of 60 s each, every style, same seeds; warm process)");
            text.AppendLine();
            text.AppendLine("| what | FluidR3_GM | MuseScore General | ratio |");
            text.AppendLine("| --- | ---: | ---: | ---: |");
            var total = (Measure.Median(pairs.Select(p => p.Fluid).ToList()), Measure.Median(pairs.Select(p => p.Muse).ToList()));
            var synth = (Measure.Median(pairs.Select(p => p.FluidSynth).ToList()), Measure.Median(pairs.Select(p => p.MuseSynth).ToList()));
            var ratio = Measure.Median(pairs.Select(p => p.Muse / p.Fluid).ToList());
            text.AppendLine(inv, $"| 60-second track end to end, p50 | {total.Item1:0.000} s | {total.Item2:0.000} s | **{ratio:0.00}x** (median of pairs) |");
            text.AppendLine(inv, $"| - synthesizing, p50 | {synth.Item1:0.000} s | {synth.Item2:0.000} s | {Measure.Median(pairs.Select(p => p.MuseSynth / p.FluidSynth).ToList()):0.00}x |");
            foreach (var style in styles)
            {
                var mine = pairs.Where(p => p.Style == style).ToList();
                text.AppendLine(inv, $"| - {StyleProfile.Name(style)}, p50 | {Measure.Median(mine.Select(p => p.Fluid).ToList()):0.000} s | {Measure.Median(mine.Select(p => p.Muse).ToList()):0.000} s | {Measure.Median(mine.Select(p => p.Muse / p.Fluid).ToList()):0.00}x |");
            }

            text.AppendLine(inv, $"| first-use load (a fresh engine: the SoundFont and the cached chip voices) | {loads[ExternalTools.SystemSoundFont]:0.000} s | {loads[MuseScore]:0.000} s | |");
            text.AppendLine(inv, $"| a style's first track (its presets loaded, and decoded for the .sf3), p50 over the styles | | {Measure.Median(firstUse):0.000} s | |");
            text.AppendLine(inv, $"| peak resident memory with the models, MuseScore General and every style played once (as `serve` holds them), read before FluidR3_GM was loaded | | {servePeak:0} MiB | |");
            text.AppendLine();
            text.AppendLine(inv, $"**A warm 60-second track with MuseScore General takes {ratio:0.00}x its time with FluidR3_GM (same run).** Targets (issue 20): <= 1.5x ({(ratio <= 1.5 ? "met" : "missed")}); first-use load <= 2 s ({(loads[MuseScore] <= 2 ? "met" : "missed")} on this machine); peak RSS <= 800 MB ({(servePeak <= 800 ? "met" : "missed")}).");
            return text.ToString();
        }
    }

    private static double TimeLoad(string path)
    {
        var overlays = SoundFontLocator.Overlays(new RenderingOptions());
        var watch = Stopwatch.StartNew();
        using (new FluidSynthEngine(path, new SynthSettings(), NullLogger<FluidSynthEngine>.Instance, overlays))
        {
            return watch.Elapsed.TotalSeconds;
        }
    }

    private static ServiceProvider Provider(string soundFont, string modelsDirectory)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rendering:SoundFont"] = soundFont,
            ["Models:Directory"] = modelsDirectory,
        }).Build();
        return new ServiceCollection().AddLogging().AddComposerRendering(configuration).AddComposerStudio(configuration).BuildServiceProvider();
    }

    private static async Task<(double Seconds, double Synthesis)> ComposeAsync(ServiceProvider services, Style style, int seed, TempDirectory work, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var result = await services.GetRequiredService<TrackComposer>().ComposeAsync(
            new ComposeOrder(new CompositionRequest { Style = style, LengthSeconds = 60, Seed = seed }, null, work.Path, $"{style}-{seed}", AudioFormat.Mp3), null, cancellationToken);
        return (watch.Elapsed.TotalSeconds, result.Timings.TryGetValue("synthesizing", out var s) ? s.TotalSeconds : 0);
    }
}
