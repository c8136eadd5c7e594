using ComposerBot.Music;
using ComposerBot.Rendering.Imaging;
using ComposerBot.TestSupport;
using SkiaSharp;

namespace ComposerBot.Rendering.Tests;

public class PianoRollTests
{
    private readonly PianoRollStyle _style = new();

    [Fact]
    public void The_picture_has_the_preview_size_and_a_colour_for_every_track()
    {
        var score = TestScores.Band(16);
        using var bitmap = SKBitmap.Decode(new PianoRollRenderer(_style).RenderPng(score, "Band"));
        Assert.Equal((_style.Width, _style.Height), (bitmap.Width, bitmap.Height));
        for (var t = 0; t < score.Tracks.Count; t++)
        {
            Assert.True(CountNear(bitmap, _style.TrackColors[t]) > 50, $"track {t} ({score.Tracks[t].Name}) is not drawn");
        }

        Assert.True(CountNear(bitmap, _style.TrackColors[5]) == 0, "a colour of a track that does not exist was drawn");
    }

    [Fact]
    public void Bar_lines_are_drawn_once_per_bar()
    {
        // A quiet single note over 8 bars of 4/4: the bar-line colour appears in 8 columns (bars 1-8).
        var score = new Score(TempoMap.Constant(480, 120), [new Track("", 0, 0, false, ValueList.Of(new Note(60, 0, 480 * 32, 40)))]);
        using var bitmap = SKBitmap.Decode(new PianoRollRenderer(_style).RenderPng(score, "Bars"));
        var y = 100;
        var columns = Enumerable.Range(0, bitmap.Width).Count(x => bitmap.GetPixel(x, y) == _style.BarLine);
        Assert.Equal(8, columns);
    }

    private static int CountNear(SKBitmap bitmap, SKColor color)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - color.Red) + Math.Abs(p.Green - color.Green) + Math.Abs(p.Blue - color.Blue) < 12)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
