using ComposerBot.Rendering.Analysis;
using ComposerBot.Rendering.Imaging;

namespace ComposerBot.Rendering.Tests;

public class SpectrogramTests
{
    [Theory]
    [InlineData(220)]
    [InlineData(1000)]
    [InlineData(8000)]
    public void A_sine_lights_the_row_of_its_frequency_on_the_log_axis(double hz)
    {
        const int rate = 44_100, rows = 400;
        var mono = Spectrum.Left(Signals.Sine(hz, 0.5, 2, rate: rate).Samples);
        var levels = SpectrogramRenderer.Levels(mono, rate, 20, rows);
        var brightest = Enumerable.Range(0, rows).MaxBy(y => levels[10, y]);
        var expected = rows * Math.Log(hz / 30) / Math.Log(rate / 2.0 / 30);
        Assert.InRange(brightest, expected - 3, expected + 3);
        Assert.Equal(1.0, levels[10, brightest], 3);

        // Far from the tone, the picture is dark: 90 dB down or more.
        Assert.True(levels[10, 0] < 0.2 && levels[10, rows - 1] < 0.2, $"{levels[10, 0]:0.00} / {levels[10, rows - 1]:0.00}");
    }

    [Fact]
    public void The_png_has_the_pianos_rolls_size()
    {
        var png = new SpectrogramRenderer(new PianoRollStyle()).RenderPng(Spectrum.Left(Signals.Bursts(3, 0.5f).Samples), 48_000, "bursts");
        using var image = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal((1200, 630), (image.Width, image.Height));
    }
}
