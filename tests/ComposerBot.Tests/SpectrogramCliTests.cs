using ComposerBot.Music.Midi;
using ComposerBot.TestSupport;
using SkiaSharp;

namespace ComposerBot.Tests;

public sealed class SpectrogramCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Spectrogram_draws_a_png_beside_the_track_with_the_music_bright_and_the_silence_dark()
    {
        var midi = _dir.File("band.mid");
        MidiFileWriter.Write(TestScores.Band(8), midi);
        Assert.Equal(0, CliRunner.Run("render", midi, "-o", _dir.File("band.mp3")).ExitCode);

        var result = CliRunner.Run("spectrogram", _dir.File("band.mp3"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal($"Wrote {_dir.File("band.spectrogram.png")}", result.Stdout.Trim());
        using var image = SKBitmap.Decode(_dir.File("band.spectrogram.png"));
        Assert.Equal((1200, 630), (image.Width, image.Height));

        // Inside the plot: bright where the band plays (a few hundred Hz, mid-piece), near black above 20 kHz
        // of an MP3 (its encoder's low-pass) at the top edge.
        static float Brightness(SKColor c) => (c.Red + c.Green + c.Blue) / 3f;
        var plotTop = 52;
        var plotBottom = 630 - 40;
        var middle = 600;
        var low = Enumerable.Range(plotBottom - 250, 100).Max(y => Brightness(image.GetPixel(middle, y)));
        var top = Enumerable.Range(plotTop + 1, 5).Max(y => Brightness(image.GetPixel(middle, y)));
        Assert.True(low > 120, $"the band's register should be bright, was {low}");
        Assert.True(top < 40, $"above the MP3's low-pass should be dark, was {top}");
    }

    [Fact]
    public void A_file_that_is_not_audio_is_refused_in_one_line_and_nothing_is_written()
    {
        File.WriteAllText(_dir.File("notes.txt"), "not audio");
        var result = CliRunner.Run("spectrogram", _dir.File("notes.txt"), "-o", _dir.File("out.png"));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("composerbot: notes.txt is not audio that ffmpeg can read", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], _dir.Files());

        var missing = CliRunner.Run("spectrogram", _dir.File("gone.mp3"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"composerbot: no such file: {_dir.File("gone.mp3")}", Assert.Single(missing.StderrLines));
    }
}
