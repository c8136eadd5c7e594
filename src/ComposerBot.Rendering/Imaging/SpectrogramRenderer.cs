using System.Globalization;
using System.Numerics;
using ComposerBot.Rendering.Analysis;
using SkiaSharp;

namespace ComposerBot.Rendering.Imaging;

/// <summary>
/// Draws audio as a spectrogram PNG: time across, frequency up on a log scale (30 Hz to the Nyquist
/// frequency), level in colour over 90 dB below the loudest point (dark: quiet, yellow: loud), with a
/// title, frequency and time labels. What a listener's ear hears as timbre, an eye can compare.
/// </summary>
public sealed class SpectrogramRenderer(PianoRollStyle style)
{
    private const int WindowSize = 4096;
    private const float Left = 64, Right = 16, Top = 52, Bottom = 40;
    private const double LowestHz = 30, RangeDb = 90, Steps = 18;

    // A dark-to-bright ramp (black, purple, red, orange, pale yellow).
    private static readonly SKColor[] Ramp = [new(0, 0, 4), new(80, 18, 123), new(183, 55, 121), new(252, 137, 97), new(252, 253, 191)];

    public byte[] RenderPng(ReadOnlySpan<float> mono, int sampleRate, string title)
    {
        var info = new SKImageInfo(style.Width, style.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new RenderException("could not create an image surface.");
        var canvas = surface.Canvas;
        canvas.Clear(style.Background);
        var plot = new SKRect(Left, Top, style.Width - Right, style.Height - Bottom);
        var columns = (int)plot.Width;
        var rows = (int)plot.Height;
        var levels = Levels(mono, sampleRate, columns, rows);
        using (var bitmap = new SKBitmap(columns, rows))
        {
            for (var x = 0; x < columns; x++)
            {
                for (var y = 0; y < rows; y++)
                {
                    bitmap.SetPixel(x, rows - 1 - y, Colour(levels[x, y]));
                }
            }

            canvas.DrawBitmap(bitmap, plot.Left, plot.Top);
        }

        using var typeface = Typefaces.Typeface();
        using var titleFont = new SKFont(typeface, style.TitleSize);
        using var labelFont = new SKFont(typeface, style.LabelSize);
        using var paint = new SKPaint { IsAntialias = true, Color = style.Text };
        canvas.DrawText(title, Left, Top - 18, titleFont, paint);
        var nyquist = sampleRate / 2.0;
        foreach (var hz in new[] { 50.0, 100, 200, 500, 1000, 2000, 5000, 10000, 20000 }.Where(h => h < nyquist))
        {
            var y = plot.Bottom - (float)(plot.Height * Math.Log(hz / LowestHz) / Math.Log(nyquist / LowestHz));
            paint.Color = style.MutedText;
            canvas.DrawText(hz >= 1000 ? $"{hz / 1000:0}k" : $"{hz:0}", 8, y + 4, labelFont, paint);
            paint.Color = style.Grid.WithAlpha(90);
            canvas.DrawLine(plot.Left, y, plot.Right, y, paint);
        }

        var seconds = (double)mono.Length / sampleRate;
        var step = seconds > 120 ? 30 : seconds > 40 ? 10 : seconds > 8 ? 5 : 1;
        paint.Color = style.MutedText;
        for (var t = 0; t <= seconds; t += step)
        {
            var x = plot.Left + (float)(plot.Width * t / Math.Max(seconds, 1e-9));
            canvas.DrawText(t.ToString(CultureInfo.InvariantCulture) + " s", x - 8, plot.Bottom + 24, labelFont, paint);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>
    /// The level (0: 90 dB or more under the loudest point, 1: the loudest) of each column and row: one
    /// Hann-windowed FFT per column, each row the loudest bin in its slice of the log frequency axis.
    /// </summary>
    public static double[,] Levels(ReadOnlySpan<float> mono, int sampleRate, int columns, int rows)
    {
        var window = Spectrum.Hann(WindowSize);
        var buffer = new Complex[WindowSize];
        var db = new double[columns, rows];
        var nyquist = sampleRate / 2.0;
        var loudest = double.NegativeInfinity;
        for (var x = 0; x < columns; x++)
        {
            var centre = (long)((x + 0.5) * mono.Length / columns);
            for (var i = 0; i < WindowSize; i++)
            {
                var at = centre - (WindowSize / 2) + i;
                buffer[i] = new Complex(at >= 0 && at < mono.Length ? mono[(int)at] * window[i] : 0, 0);
            }

            Spectrum.Fft(buffer);
            for (var y = 0; y < rows; y++)
            {
                var low = LowestHz * Math.Pow(nyquist / LowestHz, (double)y / rows);
                var high = LowestHz * Math.Pow(nyquist / LowestHz, (double)(y + 1) / rows);
                var first = (int)Math.Floor(low * WindowSize / sampleRate);
                var last = Math.Max(first, (int)Math.Floor(high * WindowSize / sampleRate));
                var power = 0.0;
                for (var k = first; k <= Math.Min(last, WindowSize / 2); k++)
                {
                    power = Math.Max(power, buffer[k].Magnitude * buffer[k].Magnitude);
                }

                db[x, y] = 10 * Math.Log10(power + 1e-20);
                loudest = Math.Max(loudest, db[x, y]);
            }
        }

        for (var x = 0; x < columns; x++)
        {
            for (var y = 0; y < rows; y++)
            {
                db[x, y] = Math.Clamp(1 + ((db[x, y] - loudest) / RangeDb), 0, 1);
            }
        }

        return db;
    }

    /// <summary>The colour of a level, in 18 steps of 5 dB (what an eye tells apart, and a PNG a small fraction of the size).</summary>
    private static SKColor Colour(double level)
    {
        var position = Math.Round(level * Steps) / Steps * (Ramp.Length - 1);
        var i = Math.Min((int)position, Ramp.Length - 2);
        var f = position - i;
        byte Mix(byte a, byte b) => (byte)Math.Round(a + ((b - a) * f));
        return new SKColor(Mix(Ramp[i].Red, Ramp[i + 1].Red), Mix(Ramp[i].Green, Ramp[i + 1].Green), Mix(Ramp[i].Blue, Ramp[i + 1].Blue));
    }
}
