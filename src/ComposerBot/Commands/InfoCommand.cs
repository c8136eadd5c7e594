using System.CommandLine;
using ComposerBot.Cli.Output;
using ComposerBot.Music.Midi;

namespace ComposerBot.Cli.Commands;

/// <summary><c>composerbot info IN.mid</c>: what a MIDI file holds.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "The MIDI file to describe." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("info", "Show a MIDI file's tracks, instruments, notes, duration, tempo, meter and key.") { input, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(input);
            var report = ScoreReport.From(file.FullName, MidiFileReader.Read(file.FullName));
            await Console.Out.WriteLineAsync(parse.GetValue(json) ? report.ToJson() : report.ToText()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
