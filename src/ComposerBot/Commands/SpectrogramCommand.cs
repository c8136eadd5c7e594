using System.CommandLine;
using ComposerBot.Music.IO;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Fingerprints;
using ComposerBot.Rendering.Imaging;

namespace ComposerBot.Cli.Commands;

/// <summary><c>composerbot spectrogram TRACK [-o PNG]</c>: a picture of what an audio file sounds like.</summary>
public static class SpectrogramCommand
{
    private const int SampleRate = 44_100;

    public static Command Create()
    {
        var input = new Argument<FileInfo>("track") { Description = "The audio file (anything ffmpeg reads: mp3, ogg, flac, wav, ...)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "The PNG to write; default: beside the track, named TRACK.spectrogram.png." };
        var command = new Command("spectrogram", "Draw an audio file's spectrogram (time across, frequency up on a log scale, level in colour) as a PNG.") { input, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(input);
            if (!file.Exists)
            {
                throw new CliInputException($"no such file: {file.FullName}");
            }

            var target = parse.GetValue(output)?.FullName ?? Path.ChangeExtension(file.FullName, ".spectrogram.png");
            OutputPath.EnsureWritable(target);
            var mono = await new AudioProbe().DecodeMonoAsync(file.FullName, cancellationToken, SampleRate).ConfigureAwait(false);
            if (mono.Length == 0)
            {
                throw new CliInputException($"{file.Name} holds no audio.");
            }

            var png = new SpectrogramRenderer(new PianoRollStyle()).RenderPng(mono, SampleRate, $"{file.Name}: spectrogram");
            await AtomicFile.WriteAsync(target, (temp, ct) => File.WriteAllBytesAsync(temp, png, ct), cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Wrote {target}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
