using System.CommandLine;
using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Cli.Commands;

/// <summary><c>composerbot compose "tense chiptune boss fight 45 s loop"</c>: a finished track from words.</summary>
public static class ComposeCommand
{
    public static Command Create()
    {
        var track = new TrackOptionSet();
        var format = new Option<string>("--format", "-f") { Description = "mp3, ogg, opus, flac or wav.", DefaultValueFactory = _ => "mp3" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "The folder for the files.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var count = new Option<int>("--count", "-n") { Description = "How many tracks, with seeds seed, seed+1, ...", DefaultValueFactory = _ => 1 };
        var maxBytes = new Option<long?>("--max-bytes") { Description = "The largest audio file to write (default 10 MiB)." };
        var json = new Option<bool>("--json") { Description = "Print each receipt as JSON instead of text." };
        var webm = new Option<bool>("--webm") { Description = "For stingers: also write an OBS stinger transition, a 1920x1080 WebM with alpha that wipes across at the hit." };
        var generator = new Option<string>("--generator") { Description = "auto (the neural model when shipped), model or ngram.", DefaultValueFactory = _ => "auto" };
        generator.AcceptOnlyFromAmong("auto", "model", "ngram");
        var device = new Option<string?>("--device") { Description = "Where the neural model runs: auto (CUDA when present), cpu, cuda or cuda:N." };
        var command = new Command("compose", "Compose an original track from a prompt: audio, MIDI, piano roll and a receipt.")
        {
            format, output, count, maxBytes, json, webm, generator, device,
        };
        track.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(count);
            if (n is < 1 or > 100)
            {
                throw new CliInputException($"--count must be 1-100, not {n}.");
            }

            var audioFormat = AudioFormats.FromPath("x." + parse.GetValue(format));
            var options = track.Read(parse);
            var text = options.Prompt;
            var parsed = options.Read();
            var request = parsed.Request;

            var asJson = parse.GetValue(json);
            var resolved = request.Resolve();
            if (!asJson)
            {
                var plan = Composition.Planning.FormPlanner.Plan(resolved);
                await Console.Out.WriteLineAsync($"Understood: {plan.Describe()}").ConfigureAwait(false);
                if (plan.Adjustment is { } adjustment)
                {
                    await Console.Out.WriteLineAsync($"Adjusted: {adjustment}").ConfigureAwait(false);
                }

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
                    progress => composer.ComposeAsync(order, new ProgressAdapter<ComposeProgress>(progress, p => (p.Phase.ToString(), p.Fraction)), cancellationToken)).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(asJson
                    ? StudioJsonContext.Serialize(result.Receipt).ReplaceLineEndings(" ")
                    : $"Wrote {result.AudioPath} ({result.Receipt.DurationS:0.00} s, {result.Receipt.TempoBpm:0.#} bpm, {result.Receipt.Bars} bars, {result.Receipt.LoudnessLufs:0.0} LUFS), .mid, .png and .json (receipt {result.Receipt.ReceiptId})").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
