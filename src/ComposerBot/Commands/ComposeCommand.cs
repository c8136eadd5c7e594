using System.CommandLine;
using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Cli.Commands;

/// <summary><c>composerbot compose "tense chiptune boss fight 45 s loop"</c>: a finished track from words.</summary>
public static class ComposeCommand
{
    public static Command Create()
    {
        var prompt = new Argument<string>("prompt") { Description = "What to compose, in plain English: style, mood, length, tempo, key, loop, stinger, no drums...", DefaultValueFactory = _ => "" };
        var style = new Option<Style?>("--style") { Description = "chiptune, orchestral, lofi, rock, ambient, piano, folk or synthwave." };
        var mood = new Option<Mood?>("--mood") { Description = "neutral, calm, happy, sad, tense, epic, dark, dreamy, playful or triumphant." };
        var tempo = new Option<double?>("--tempo") { Description = "Beats per minute (40-240)." };
        var key = new Option<string?>("--key") { Description = "A key such as 'D minor', 'F#m' or 'Bb major'." };
        var meter = new Option<string?>("--meter") { Description = "A meter such as 4/4, 3/4 or 6/8." };
        var length = new Option<string?>("--length") { Description = "Seconds or bars: '45s', '2 min', '1:30', '16 bars'." };
        var loop = new Option<bool>("--loop") { Description = "A seamless loop, with loop points in the file and the receipt." };
        var stinger = new Option<bool>("--stinger") { Description = "A short jingle (1-10 s) of exact length that ends on a hit." };
        var stems = new Option<bool>("--stems") { Description = "Also write one FLAC per part (melody, harmony, bass, drums) that sum to the mix." };
        var noDrums = new Option<bool>("--no-drums") { Description = "Leave the drums out." };
        var seed = new Option<int>("--seed") { Description = "The seed: the same prompt and seed give the same track.", DefaultValueFactory = _ => 1 };
        var format = new Option<string>("--format", "-f") { Description = "mp3, ogg, opus, flac or wav.", DefaultValueFactory = _ => "mp3" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "The folder for the files.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var count = new Option<int>("--count", "-n") { Description = "How many tracks, with seeds seed, seed+1, ...", DefaultValueFactory = _ => 1 };
        var maxBytes = new Option<long?>("--max-bytes") { Description = "The largest audio file to write (default 10 MiB)." };
        var json = new Option<bool>("--json") { Description = "Print each receipt as JSON instead of text." };
        var webm = new Option<bool>("--webm") { Description = "For stingers: also write an OBS stinger transition, a 1920x1080 WebM with alpha that wipes across at the hit." };
        var feel = new Option<string?>("--feel") { Description = "A feel: a tune cluster of models/clusters.json (jig, reel, waltz, hornpipe, chorale, ...)." };
        var generator = new Option<string>("--generator") { Description = "auto (the neural model when shipped), model or ngram.", DefaultValueFactory = _ => "auto" };
        generator.AcceptOnlyFromAmong("auto", "model", "ngram");
        var device = new Option<string?>("--device") { Description = "Where the neural model runs: auto (CUDA when present), cpu, cuda or cuda:N." };
        var command = new Command("compose", "Compose an original track from a prompt: audio, MIDI, piano roll and a receipt.")
        {
            prompt, style, mood, tempo, key, meter, length, loop, stinger, stems, noDrums, seed, format, output, count, maxBytes, json, webm, generator, device, feel,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(count);
            if (n is < 1 or > 100)
            {
                throw new CliInputException($"--count must be 1-100, not {n}.");
            }

            var audioFormat = AudioFormats.FromPath("x." + parse.GetValue(format));
            var text = parse.GetValue(prompt) ?? "";
            var parsed = PromptParser.Parse(text, parse.GetValue(seed));
            var request = parsed.Request;

            // Explicit options override what the prompt said.
            request = parse.GetValue(style) is { } s ? request with { Style = s } : request;
            request = parse.GetValue(mood) is { } m ? request with { Mood = m } : request;
            request = parse.GetValue(tempo) is { } t ? request with { Tempo = t } : request;
            request = parse.GetValue(key) is { } k ? request with { Key = PromptParser.ParseKeyOption(k) } : request;
            request = parse.GetValue(meter) is { } me ? request with { Meter = PromptParser.ParseMeterOption(me) } : request;
            if (parse.GetValue(length) is { } l)
            {
                var (seconds, bars) = PromptParser.ParseLengthOption(l);
                request = request with { LengthSeconds = seconds, LengthBars = bars };
            }

            request = parse.GetValue(loop) ? request with { Loop = true, Stinger = false } : request;
            request = parse.GetValue(stinger) ? request with { Stinger = true, Loop = false } : request;
            request = parse.GetValue(stems) ? request with { Stems = true } : request;
            request = parse.GetValue(noDrums) ? request with { Drums = false } : request;
            request = parse.GetValue(feel) is { } f ? request with { Feel = f } : request;

            var asJson = parse.GetValue(json);
            var resolved = request.Resolve();
            if (!asJson)
            {
                await Console.Out.WriteLineAsync($"Understood: {resolved.Describe()}").ConfigureAwait(false);
                if (parsed.Ignored.Count > 0)
                {
                    await Console.Out.WriteLineAsync($"Ignored: {string.Join(' ', parsed.Ignored)}").ConfigureAwait(false);
                }
            }

            var settings = new Dictionary<string, string?> { ["Composer:Generator"] = parse.GetValue(generator) };
            if (parse.GetValue(device) is { } where)
            {
                settings["Composer:Device"] = where;
            }

            await using var services = CliServices.Build(settings);
            var composer = services.GetRequiredService<TrackComposer>();
            var outDirectory = parse.GetRequiredValue(output).FullName;
            for (var i = 0; i < n; i++)
            {
                var trackSeed = request.Seed + i;
                var order = new ComposeOrder(request with { Seed = trackSeed }, parsed, outDirectory, TrackComposer.FileName(text, resolved.Style, trackSeed), audioFormat)
                {
                    MaxBytes = parse.GetValue(maxBytes),
                    Webm = parse.GetValue(webm),
                };
                var result = await ConsoleProgress.RunAsync(
                    ConsoleProgress.Enabled(asJson),
                    progress => composer.ComposeAsync(order, new ProgressAdapter<RenderProgress>(progress, p => (p.Phase.ToString(), p.Fraction)), cancellationToken)).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(asJson
                    ? StudioJsonContext.Serialize(result.Receipt).ReplaceLineEndings(" ")
                    : $"Wrote {result.AudioPath} ({result.Receipt.DurationS:0.00} s, {result.Receipt.TempoBpm:0.#} bpm, {result.Receipt.Bars} bars, {result.Receipt.LoudnessLufs:0.0} LUFS), .mid, .png and .json (receipt {result.Receipt.ReceiptId})").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
