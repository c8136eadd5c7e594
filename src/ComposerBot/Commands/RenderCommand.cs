using System.CommandLine;
using System.Globalization;
using ComposerBot.Cli.Output;
using ComposerBot.Music.Midi;
using ComposerBot.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace ComposerBot.Cli.Commands;

/// <summary><c>composerbot render IN.mid -o OUT.mp3</c>: a MIDI file to loudness-normalised audio.</summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "The MIDI file to render (format 0 or 1)." };
        var output = new Option<FileInfo>("--output", "-o")
        {
            Description = $"The audio file to write; its extension picks the format ({AudioFormatsText}).",
            Required = true,
        };
        var soundFont = new Option<FileInfo?>("--soundfont") { Description = "The SoundFont (.sf2) to play it with." };
        var maxBytes = new Option<long?>("--max-bytes") { Description = "The largest file to write; lossy formats step their bitrate down to fit (default 10 MiB)." };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Keep the synthesizer's level instead of -14 LUFS, -1 dBTP." };
        var png = new Option<FileInfo?>("--png") { Description = "Also draw the piano roll to this PNG." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the result instead of text." };
        var verbose = new Option<bool>("--verbose") { Description = "Log what happens, to stderr." };

        var command = new Command("render", "Render a MIDI file to normalised audio (mp3, ogg, opus, flac or wav).")
        {
            input, output, soundFont, maxBytes, noNormalize, png, json, verbose,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var limit = parse.GetValue(maxBytes);
            if (limit is <= 0)
            {
                throw new CliInputException($"--max-bytes must be a positive number of bytes, not {limit}.");
            }

            var inputFile = parse.GetRequiredValue(input);
            var score = MidiFileReader.Read(inputFile.FullName);
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(soundFont) is { } sf)
            {
                overrides[$"{RenderingOptions.SectionName}:{nameof(RenderingOptions.SoundFont)}"] = sf.FullName;
            }

            await using var services = CliServices.Build(overrides, parse.GetValue(verbose));
            var pipeline = services.GetRequiredService<RenderPipeline>();
            var request = new RenderRequest(parse.GetRequiredValue(output).FullName)
            {
                MaxBytes = limit,
                Normalize = !parse.GetValue(noNormalize),
                PianoRollPath = parse.GetValue(png)?.FullName,
                Title = Path.GetFileNameWithoutExtension(inputFile.Name),
                Metadata = new Dictionary<string, string> { ["title"] = Path.GetFileNameWithoutExtension(inputFile.Name), ["encoded_by"] = "ComposerBot" },
            };

            var asJson = parse.GetValue(json);
            var result = await ConsoleProgress.RunAsync(
                ConsoleProgress.Enabled(asJson),
                progress => pipeline.RenderAsync(score, request, new ProgressAdapter<RenderProgress>(progress, p => (p.Phase.ToString(), p.Fraction)), cancellationToken)).ConfigureAwait(false);

            var report = RenderReport.From(inputFile.FullName, result);
            await Console.Out.WriteLineAsync(asJson ? report.ToJson() : report.ToText()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string AudioFormatsText => Rendering.Encoding.AudioFormats.SupportedExtensions;
}
