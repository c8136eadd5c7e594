using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio;
using ComposerBot.Studio.Kits;
using ComposerBot.TestSupport;
using ComposerBot.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Benchmarks;

/// <summary>
/// For streamers (issue 21): (1) a whole stream kit composed in a warm process with the default SoundFont,
/// against the fluidsynth command line rendering the kit's seven MIDI files (same run, same SoundFont);
/// (2) the radio soak: `composerbot serve` (one worker) as a process, and a listener that plays a station in
/// real time (each track to its crossfade point, then the next), recording at each track's start how many
/// finished tracks the station had ready beyond it, and every wait for a track that was not ready (silence).
/// </summary>
internal static class StreamingBenchmark
{
    public static async Task<string> KitAsync(int runs, string modelsDirectory, CancellationToken cancellationToken)
    {
        using var work = new TempDirectory();
        var soundFont = RenderingOptions.DefaultSystemSoundFonts.FirstOrDefault(File.Exists) ?? ExternalTools.SystemSoundFont;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rendering:SoundFont"] = soundFont,
            ["Models:Directory"] = modelsDirectory,
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddComposerRendering(configuration).AddComposerStudio(configuration).BuildServiceProvider();
        var kits = services.GetRequiredService<KitComposer>();
        var styles = Enum.GetValues<Style>();

        // Warm-up: the models, the SoundFont and one kit's instruments.
        await kits.ComposeAsync(new KitOrder(new CompositionRequest { Style = Style.Rock, Seed = 99 }, null, work.File("warmup"), "warmup", AudioFormat.Mp3), null, cancellationToken);
        var pairs = new List<(Style Style, double Kit, double Baseline)>();
        var phases = new Dictionary<string, List<double>>();
        for (var i = 0; i < runs; i++)
        {
            var style = styles[i % styles.Length];
            var watch = Stopwatch.StartNew();
            var kit = await kits.ComposeAsync(new KitOrder(new CompositionRequest { Style = style, Mood = Mood.Happy, Seed = i + 1 }, null, work.File($"k{i}"), $"k{i}", AudioFormat.Mp3), null, cancellationToken);
            var seconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            foreach (var piece in kit.Pieces)
            {
                ExternalTools.Run("fluidsynth", "-ni", "-q", "-F", work.File("base.wav"), "-r", "48000", soundFont, piece.Result.MidiPath);
            }

            pairs.Add((style, seconds, watch.Elapsed.TotalSeconds));
            foreach (var phase in kit.Pieces.SelectMany(p => p.Result.Timings).GroupBy(t => t.Key, t => t.Value.TotalSeconds))
            {
                (phases.TryGetValue(phase.Key, out var list) ? list : phases[phase.Key] = []).Add(phase.Sum());
            }
        }

        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"### Stream kit: seven pieces (two 60 s loops, a 30 s outro, a 3 s stinger with its WebM, three alerts), warm process, {Path.GetFileName(soundFont)}");
        text.AppendLine();
        text.AppendLine("| style | kit, end to end | baseline: `fluidsynth -F` on the kit's 7 MIDI files | ratio |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (style, kit, baseline) in pairs)
        {
            text.AppendLine(inv, $"| {StyleProfile.Name(style)} | {kit:0.00} s | {baseline:0.00} s | {kit / baseline:0.00}x |");
        }

        var median = Measure.Median(pairs.Select(p => p.Kit).ToList());
        text.AppendLine();
        text.AppendLine("Where a kit's time goes: each phase summed over the seven pieces, median over the kits (the first piece's melody is written first, then the seven pieces are made two at a time, so these add up to more than the wall time):");
        text.AppendLine();
        text.AppendLine("| phase | seconds |");
        text.AppendLine("| --- | ---: |");
        foreach (var (phase, times) in phases.OrderByDescending(p => Measure.Median(p.Value)))
        {
            text.AppendLine(inv, $"| {phase} | {Measure.Median(times):0.00} |");
        }

        text.AppendLine();
        text.AppendLine(inv, $"**A kit takes {median:0.00} s (median of {pairs.Count}), {Measure.Median(pairs.Select(p => p.Kit / p.Baseline).ToList()):0.00}x the fluidsynth CLI rendering its MIDI alone.** Target (issue 21): <= 15 s on 2 cores, warm ({(median <= 15 ? "met" : "missed")} on this machine).");
        return text.ToString();
    }

    public static async Task<string> RadioAsync(double minutes, CancellationToken cancellationToken)
    {
        using var data = new TempDirectory();
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        using var serve = new CliProcess(new Dictionary<string, string>(), "serve", "--urls", url, "--data", data.Path);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        await ServeProcess.WaitHealthyAsync(http, serve, cancellationToken);

        const string station = "style=lofi&mood=calm";
        var soak = Stopwatch.StartNew();
        var starts = new List<(double At, int ReadyAhead, int Ahead)>();
        var silences = new List<double>();
        string? after = null;
        var firstWait = 0.0;
        var waitedForFirst = Stopwatch.StartNew();
        JsonNode track = await ReadyAsync(http, station, null, cancellationToken);
        firstWait = waitedForFirst.Elapsed.TotalSeconds;
        while (soak.Elapsed.TotalMinutes < minutes)
        {
            var id = track["request_id"]!.GetValue<string>();
            (await http.PostAsJsonAsync($"/api/radio/played?{station}", new { request_id = id }, cancellationToken)).EnsureSuccessStatusCode();
            // As the page does: ask for the next at once (the station tops up its buffer), then play to the crossfade.
            var next = JsonNode.Parse(await http.GetStringAsync($"/api/radio/next?{station}&after={id}", cancellationToken))!;
            var status = JsonNode.Parse(await http.GetStringAsync($"/api/radio/status?{station}", cancellationToken))!;
            starts.Add((soak.Elapsed.TotalSeconds, status["ready_ahead"]!.GetValue<int>(), status["ahead"]!.GetValue<int>()));
            var play = track["duration_s"]!.GetValue<double>() - track["crossfade_seconds"]!.GetValue<double>();
            await Task.Delay(TimeSpan.FromSeconds(play), cancellationToken);
            after = id;
            if (next["ready"]!.GetValue<bool>())
            {
                track = next;
                continue;
            }

            // Not ready when asked (a cold station's second track): a silence only if it is still not ready now.
            var waited = Stopwatch.StartNew();
            track = await ReadyAsync(http, station, after, cancellationToken);
            if (waited.Elapsed.TotalSeconds > 0.1)
            {
                silences.Add(waited.Elapsed.TotalSeconds);
            }
        }

        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var lead = starts.Skip(1).Select(s => s.ReadyAhead).DefaultIfEmpty(0).Min();
        text.AppendLine(inv, $"### Stream radio soak: `composerbot serve` (one worker, the default SoundFont and model) playing lo-fi/calm in real time for {soak.Elapsed.TotalMinutes:0.0} minutes");
        text.AppendLine();
        text.AppendLine("| what | value |");
        text.AppendLine("| --- | ---: |");
        text.AppendLine(inv, $"| tracks played | {starts.Count} |");
        text.AppendLine(inv, $"| wait for the first track (a cold station: its first track composed on request) | {firstWait:0.0} s |");
        text.AppendLine(inv, $"| finished tracks ready beyond the one starting, minimum over the starts after the first | {lead} |");
        text.AppendLine(inv, $"| the same, median | {Measure.Median(starts.Skip(1).Select(s => (double)s.ReadyAhead).DefaultIfEmpty(0).ToList()):0} |");
        text.AppendLine(inv, $"| tracks made or being made beyond the one starting, minimum | {starts.Select(s => s.Ahead).DefaultIfEmpty(0).Min()} |");
        text.AppendLine(inv, $"| waits over 0.1 s at a crossfade point for a track that was not ready (silence) | {silences.Count}{(silences.Count > 0 ? string.Create(inv, $", longest {silences.Max():0.0} s") : "")} |");
        text.AppendLine();
        text.AppendLine(inv, $"**Over {soak.Elapsed.TotalMinutes:0} minutes the radio {(silences.Count == 0 ? "never fell silent" : "fell silent " + silences.Count + " times")}; generation stayed at least {lead} finished tracks ahead of playback.** Target (issue 21): never silent, >= 2 tracks ahead over a 30-minute soak ({(silences.Count == 0 && lead >= 2 && minutes >= 30 ? "met" : minutes < 30 ? "not judged: a shorter soak" : "missed")}).");
        return text.ToString();
    }

    private static async Task<JsonNode> ReadyAsync(HttpClient http, string station, string? after, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = JsonNode.Parse(await http.GetStringAsync($"/api/radio/next?{station}{(after is null ? "" : "&after=" + after)}", cancellationToken))!;
            if (next["ready"]!.GetValue<bool>())
            {
                return next;
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
