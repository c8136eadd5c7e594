using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComposerBot.Music.Midi;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Rendering.Loudness;
using ComposerBot.Rendering.Synthesis;
using ComposerBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComposerBot.Benchmarks;

/// <summary>
/// Renders the same 60-second multi-track MIDI file in-process and with the fluidsynth command line, in
/// the same run, and reports both as realtime factors (seconds of audio per second of wall time) and
/// their ratio. Also times the rest of the pipeline: loudness and MP3 encoding.
/// </summary>
internal static class RenderBenchmark
{
    public static async Task<string> RunAsync(int runs, CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();
        var midiPath = work.File("band60.mid");
        MidiFileWriter.Write(TestScores.Band(60), midiPath);
        var soundFont = ExternalTools.SystemSoundFont;

        // Cold: a fresh engine loads the SoundFont, then renders once, as a one-shot CLI run does.
        var cold = Stopwatch.StartNew();
        using (var coldEngine = new FluidSynthEngine(soundFont, new SynthSettings(), NullLogger<FluidSynthEngine>.Instance))
        {
            new ScoreSynthesizer(coldEngine, new RenderLimits()).Render(MidiFileReader.Read(midiPath), null, cancellationToken);
        }

        var coldSeconds = cold.Elapsed.TotalSeconds;

        using var engine = new FluidSynthEngine(soundFont, new SynthSettings(), NullLogger<FluidSynthEngine>.Instance);
        var synthesizer = new ScoreSynthesizer(engine, new RenderLimits());
        AudioBuffer audio = null!;
        double ours = 0, theirs = 0, cliAudioSeconds = 0;
        var oursTimes = new List<double>();
        var theirsTimes = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            // Alternate the two so that machine noise falls on both alike.
            oursTimes.Add(await Measure.MedianSecondsAsync(1, () => { audio = synthesizer.Render(MidiFileReader.Read(midiPath), null, cancellationToken); }));
            var wav = work.File($"cli{i}.wav");
            theirsTimes.Add(await Measure.MedianSecondsAsync(1, () => RunFluidSynthCli(soundFont, midiPath, wav)));
            cliAudioSeconds = ExternalTools.DurationSeconds(wav);
        }

        ours = Measure.Median(oursTimes);
        theirs = Measure.Median(theirsTimes);
        var oursRealtime = audio.DurationSeconds / ours;
        var theirsRealtime = cliAudioSeconds / theirs;

        var normalize = await Measure.MedianSecondsAsync(runs, () => LoudnessNormalizer.Normalize(audio, new LoudnessTarget(), cancellationToken));
        var encoder = new FfmpegEncoder("ffmpeg", NullLogger<FfmpegEncoder>.Instance);
        var encode = await Measure.MedianSecondsAsync(runs, () => encoder.EncodeAsync(audio, work.File("out.mp3"), AudioFormat.Mp3, 10 << 20, null, cancellationToken: cancellationToken));

        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"### Render: 60-second, 4-track MIDI ({runs} runs each, medians)");
        text.AppendLine();
        text.AppendLine("| what | wall time | realtime factor |");
        text.AppendLine("| --- | --- | --- |");
        text.AppendLine(inv, $"| in-process FluidSynth (P/Invoke, SoundFont loaded), {audio.DurationSeconds:0.00} s of audio | {ours:0.000} s | {oursRealtime:0.0}x |");
        text.AppendLine(inv, $"| `fluidsynth -ni -F out.wav -r 48000` (process, SoundFont load, file), {cliAudioSeconds:0.00} s of audio | {theirs:0.000} s | {theirsRealtime:0.0}x |");
        text.AppendLine(inv, $"| in-process, cold (new engine + SoundFont load + render, once) | {coldSeconds:0.000} s | {audio.DurationSeconds / coldSeconds:0.0}x |");
        text.AppendLine(inv, $"| loudness: meter + limiter to -14 LUFS / -1.5 dBTP | {normalize:0.000} s | {audio.DurationSeconds / normalize:0.0}x |");
        text.AppendLine(inv, $"| MP3 encode through ffmpeg's stdin | {encode:0.000} s | {audio.DurationSeconds / encode:0.0}x |");
        text.AppendLine();
        text.AppendLine(inv, $"**Speed ratio, in-process vs fluidsynth CLI (realtime factors, same run): {oursRealtime / theirsRealtime:0.00}x** ({(oursRealtime >= theirsRealtime ? "at least as fast: target met" : "slower: target missed")}).");
        return text.ToString();
    }


    private static void RunFluidSynthCli(string soundFont, string midi, string wav) =>
        ExternalTools.Run("fluidsynth", "-ni", "-q", "-F", wav, "-r", "48000", "-T", "wav", "-o", "synth.lock-memory=0", soundFont, midi);
}
