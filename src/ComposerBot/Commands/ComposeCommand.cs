using System.CommandLine;
using ComposerBot.Composition.Prompts;
using ComposerBot.Composition.Requests;
using ComposerBot.Rendering.Encoding;
using ComposerBot.Studio;
using ComposerBot.Studio.Kits;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Cli.Commands;

/// <summary><c>composerbot compose "tense chiptune boss fight 45 s loop"</c>: a finished track from words.</summary>
public static class ComposeCommand
{
    public static Command Create()
    {
        var track = new TrackOptionSet();
        var format = new Option<string>("--format", "-f") { Description = "mp3, ogg, opus, flac or wav.", DefaultValueFactory = _ => "mp3" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "The folder for the files, or the audio file itself (night-drive.ogg: the folder, name and format; the .mid, .png and .json beside it).", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var count = new Option<int>("--count", "-n") { Description = "How many tracks, with seeds seed, seed+1, ...", DefaultValueFactory = _ => 1 };
        var maxBytes = new Option<long?>("--max-bytes") { Description = "The largest audio file to write (default 10 MiB)." };
        var json = new Option<bool>("--json") { Description = "Print each receipt as JSON instead of text." };
        var webm = new Option<bool>("--webm") { Description = "For stingers: also write an OBS stinger transition, a 1920x1080 WebM with alpha that wipes across at the hit." };
        var kit = new Option<bool>("--kit") { Description = "A stream kit: starting-soon and be-right-back loops, an outro, a 3 s stinger with its WebM and three alerts, sharing key, tempo, instruments and a motif, zipped with an OBS README." };
        var generator = new Option<string>("--generator") { Description = "auto (the neural model when shipped), model or ngram.", DefaultValueFactory = _ => "auto" };
        generator.AcceptOnlyFromAmong("auto", "model", "ngram");
        var device = new Option<string?>("--device") { Description = "Where the neural model runs: auto (CUDA when present), cpu, cuda or cuda:N." };
        var command = new Command("compose", "Compose an original track from a prompt: audio, MIDI, piano roll and a receipt.")
        {
            format, output, count, maxBytes, json, webm, kit, generator, device,
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
            var outPath = parse.GetRequiredValue(output).FullName;
            var named = NamedAudioFile(outPath);
            if (named is not null)
            {
                if (parse.GetResult(format) is { Implicit: false } && AudioFormats.FromPath(outPath) != audioFormat)
                {
                    throw new CliInputException($"--out {Path.GetFileName(outPath)} asks for {Path.GetExtension(outPath).TrimStart('.')} but --format for {parse.GetValue(format)}; give one of them.");
                }

                if (n != 1 || parse.GetValue(kit))
                {
                    throw new CliInputException($"--out {Path.GetFileName(outPath)} names one file; for --count or --kit give a folder.");
                }

                audioFormat = AudioFormats.FromPath(outPath);
            }

            var options = track.Read(parse);
            var text = options.Prompt;
            var parsed = options.Read();
            var request = parsed.Request;

            var asJson = parse.GetValue(json);
            var resolved = request.Resolve();
            if (parse.GetValue(kit))
            {
                if (n != 1 || parse.GetValue(webm) || parse.GetValue(maxBytes) is not null)
                {
                    throw new CliInputException("--kit makes its own set (the stinger's WebM included): leave out --count, --webm and --max-bytes.");
                }

                return await KitAsync(parse, parsed, audioFormat, parse.GetRequiredValue(output).FullName, Settings(parse), asJson, cancellationToken).ConfigureAwait(false);
            }

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

            await using var services = CliServices.Build(Settings(parse));
            var composer = services.GetRequiredService<TrackComposer>();
            var outDirectory = named?.Directory ?? outPath;
            for (var i = 0; i < n; i++)
            {
                var trackSeed = request.Seed + i;
                var order = new ComposeOrder(request with { Seed = trackSeed }, parsed, outDirectory, named?.Name ?? TrackComposer.FileName(text, resolved.Style, trackSeed), audioFormat)
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

        // --out my-track.mp3 names the audio file (a path with an audio extension that is not a folder).
        static (string Directory, string Name)? NamedAudioFile(string path) =>
            !Directory.Exists(path) && AudioFormats.TryFromPath(path) is not null
                ? (Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path))
                : null;

        Dictionary<string, string?> Settings(ParseResult parse)
        {
            var settings = new Dictionary<string, string?> { ["Composer:Generator"] = parse.GetValue(generator) };
            if (parse.GetValue(device) is { } where)
            {
                settings["Composer:Device"] = where;
            }

            return settings;
        }
    }

    /// <summary>A stream kit into a folder of its own under --out: the pieces' files, kit.json, README.txt and the zip.</summary>
    private static async Task<int> KitAsync(ParseResult parse, ParsedPrompt parsed, AudioFormat format, string outDirectory, Dictionary<string, string?> settings, bool asJson, CancellationToken cancellationToken)
    {
        var request = parsed.Request;
        var name = TrackComposer.FileName(parsed.Prompt, request.Style, request.Seed) + "-kit";
        var folder = Path.Combine(outDirectory, name);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new CliInputException($"{folder} already holds files; give another --out or --seed, or remove it.");
        }

        if (!asJson)
        {
            var resolved = request.Resolve();
            await Console.Out.WriteLineAsync($"Understood: a stream kit, {StyleProfile.Name(resolved.Style)}, {resolved.Mood.ToString().ToLowerInvariant()}, {resolved.Key.Name}, {resolved.Meter}, {resolved.Tempo:0.#} bpm, seed {resolved.Seed}").ConfigureAwait(false);
        }

        await using var services = CliServices.Build(settings);
        var kits = services.GetRequiredService<KitComposer>();
        KitResult result;
        try
        {
            result = await ConsoleProgress.RunAsync(
                ConsoleProgress.Enabled(asJson),
                progress => kits.ComposeAsync(new KitOrder(request, parsed, folder, name, format), new ProgressAdapter<KitProgress>(progress, p => ("stream kit", p.Fraction)), cancellationToken)).ConfigureAwait(false);
        }
        catch
        {
            // The folder was made for this kit: leave nothing of a failed one behind.
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }

            throw;
        }

        if (asJson)
        {
            await Console.Out.WriteLineAsync(StudioJsonContext.Serialize(result.Receipt).ReplaceLineEndings(" ")).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        foreach (var piece in result.Receipt.Pieces)
        {
            var extra = piece.Loop ? ", loop" : piece.TransitionPointMs is { } hit ? $", hit at {hit:0} ms" : "";
            await Console.Out.WriteLineAsync($"  {piece.Files["audio"],-28} {piece.Title}: {piece.DurationS:0.00} s at {piece.TempoBpm:0.#} bpm{extra}").ConfigureAwait(false);
        }

        await Console.Out.WriteLineAsync($"Wrote the stream kit {result.Receipt.KitId} to {folder} and {result.ZipPath} ({new FileInfo(result.ZipPath).Length / 1024.0 / 1024:0.0} MB); README.txt says how to set it up in OBS.").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
