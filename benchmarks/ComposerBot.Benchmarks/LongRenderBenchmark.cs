using System.Globalization;
using System.Text;
using ComposerBot.Music;
using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;

namespace ComposerBot.Benchmarks;

/// <summary>
/// A 20-minute, 50,000-note MIDI file through `composerbot render` as a process: the peak resident memory
/// of a whole render to MP3 (streamed through a spool on disk), and how fast a WAV that cannot fit is
/// refused. Baselines in the same run: the fluidsynth command line rendering the same file, and
/// `composerbot info` reading it (process start and MIDI parsing alone).
/// </summary>
internal static class LongRenderBenchmark
{
    public static async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();
        var midi = work.File("long.mid");
        var score = Long(1200);
        MidiFileWriter.Write(score, midi);

        // Build once, so the timings below are of a built tree.
        await ProcessRun.RunAsync(["./composerbot", "--help"], cancellationToken);
        var info = await ProcessRun.RunAsync(["./composerbot", "info", midi], cancellationToken);
        var refusal = await ProcessRun.RunAsync(["./composerbot", "render", midi, "-o", work.File("long.wav"), "--max-bytes", "10000000"], cancellationToken);
        var render = await ProcessRun.RunAsync(["./composerbot", "render", midi, "-o", work.File("long.mp3"), "--max-bytes", "100000000"], cancellationToken);
        var cli = await ProcessRun.RunAsync(["fluidsynth", "-ni", "-q", "-F", work.File("cli.wav"), "-r", "48000", "-T", "wav", "-o", "synth.lock-memory=0", ExternalTools.SystemSoundFont, midi], cancellationToken);

        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"### Long render: {score.DurationSeconds / 60:0} minutes, {score.NoteCount:N0} notes, {score.Tracks.Count} tracks (one run each, processes)");
        text.AppendLine();
        text.AppendLine("| what | exit | wall time | peak RSS |");
        text.AppendLine("| --- | --- | --- | --- |");
        text.AppendLine(inv, $"| `composerbot render long.mid -o long.mp3` (streamed; ffmpeg's own memory not counted) | {render.Exit} | {render.Seconds:0.0} s | {render.PeakMiB:0} MiB |");
        text.AppendLine(inv, $"| `fluidsynth -F cli.wav` (baseline: synthesis alone, same file) | {cli.Exit} | {cli.Seconds:0.0} s | {cli.PeakMiB:0} MiB |");
        text.AppendLine(inv, $"| `composerbot render long.mid -o long.wav --max-bytes 10000000` (refused: too large) | {refusal.Exit} | {refusal.Seconds:0.00} s | {refusal.PeakMiB:0} MiB |");
        text.AppendLine(inv, $"| `composerbot info long.mid` (baseline: start and parse) | {info.Exit} | {info.Seconds:0.00} s | {info.PeakMiB:0} MiB |");
        text.AppendLine();
        text.AppendLine(inv, $"Render vs fluidsynth CLI: {render.Seconds / cli.Seconds:0.00}x the time, {render.PeakMiB / cli.PeakMiB:0.00}x the memory. " +
            $"Peak RSS target <= 800 MB: {(render.PeakMiB * 1.048576 <= 800 ? "met" : "missed")}. " +
            $"Refusal target <= 1 s: {(refusal.Seconds <= 1 ? "met" : "missed")} ({refusal.Seconds / info.Seconds:0.00}x the time `info` takes).");
        return text.ToString();
    }

    /// <summary>A long orchestral-like piece: the band of the render tests plus four tracks of running sixteenths.</summary>
    private static Score Long(double seconds)
    {
        var band = TestScores.Band(seconds);
        var sixteenth = TestScores.Ppq / 4;
        var steps = (long)(seconds * 2 * 4); // 120 bpm: 2 beats a second, 4 sixteenths a beat
        int[] chord = [0, 4, 7, 12, 7, 4];
        var extra = Enumerable.Range(0, 4).Select(t => new Track($"Strings {t + 1}", 48 + t, 3 + t, false,
            Track.Sort(Enumerable.Range(0, (int)steps).Select(s => new Note(55 + (5 * t) + chord[(s + t) % chord.Length], (long)s * sixteenth, sixteenth - 10, 60 + (s % 24))))));
        return band with { Tracks = ValueList.From([.. band.Tracks, .. extra]) };
    }
}
