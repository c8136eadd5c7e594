using ComposerBot.Music;
using SkiaSharp;

namespace ComposerBot.Rendering.Imaging;

/// <summary>
/// Draws a score as a piano roll PNG: one colour per track, bars and beats marked, octaves labelled, a
/// title line and a legend of the instruments. Drums get a lane of their own at the bottom.
/// </summary>
public sealed class PianoRollRenderer(PianoRollStyle style)
{
    private const float Left = 64;
    private const float Right = 16;
    private const float Top = 52;
    private const float Bottom = 78;
    private const float DrumLane = 44;

    public byte[] RenderPng(Score score, string title)
    {
        var info = new SKImageInfo(style.Width, style.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new RenderException("could not create an image surface.");
        Draw(surface.Canvas, score, title);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private void Draw(SKCanvas canvas, Score score, string title)
    {
        canvas.Clear(style.Background);
        using var typeface = Typefaces.Typeface();
        using var titleFont = new SKFont(typeface, style.TitleSize);
        using var labelFont = new SKFont(typeface, style.LabelSize);
        using var paint = new SKPaint { IsAntialias = true };

        var pitched = score.Tracks.Where(t => !t.IsDrum).SelectMany(t => t.Notes).ToList();
        var hasDrums = score.Tracks.Any(t => t.IsDrum && t.Notes.Count > 0);
        var low = pitched.Count > 0 ? pitched.Min(n => n.Pitch) - 2 : 48;
        var high = pitched.Count > 0 ? pitched.Max(n => n.Pitch) + 2 : 72;
        var endTick = Math.Max(1, score.EndTick);
        var plot = new SKRect(Left, Top, style.Width - Right, style.Height - Bottom - (hasDrums ? DrumLane : 0));
        var drumLane = new SKRect(Left, plot.Bottom + 4, plot.Right, plot.Bottom + DrumLane);
        float X(long tick) => plot.Left + (plot.Width * tick / endTick);
        var rowHeight = plot.Height / (high - low + 1);
        float Y(int pitch) => plot.Bottom - ((pitch - low + 1) * rowHeight);

        DrawGrid(canvas, score, plot, hasDrums ? drumLane : SKRect.Empty, endTick, X, labelFont, paint);

        // Octave lines and labels at every C.
        paint.Style = SKPaintStyle.Fill;
        for (var pitch = low; pitch <= high; pitch++)
        {
            if (pitch % 12 != 0)
            {
                continue;
            }

            paint.Color = style.Grid;
            canvas.DrawLine(plot.Left, Y(pitch) + rowHeight, plot.Right, Y(pitch) + rowHeight, paint);
            paint.Color = style.MutedText;
            canvas.DrawText($"C{(pitch / 12) - 1}", Left - 8, Y(pitch) + rowHeight, SKTextAlign.Right, labelFont, paint);
        }

        for (var t = 0; t < score.Tracks.Count; t++)
        {
            var track = score.Tracks[t];
            var color = style.TrackColors[t % style.TrackColors.Count];
            foreach (var note in track.Notes)
            {
                paint.Color = color.WithAlpha((byte)(110 + (note.Velocity * 145 / 127)));
                var x0 = X(note.Start);
                var x1 = Math.Max(X(note.End) - 1, x0 + 2);
                var rect = track.IsDrum
                    ? new SKRect(x0, drumLane.Top + ((note.Pitch % 8) * (drumLane.Height - 5) / 8), x0 + 3, drumLane.Top + ((note.Pitch % 8) * (drumLane.Height - 5) / 8) + 5)
                    : new SKRect(x0, Y(note.Pitch), x1, Y(note.Pitch) + Math.Max(rowHeight - 1, 2));
                canvas.DrawRect(rect, paint);
            }
        }

        paint.Color = style.Text;
        canvas.DrawText(Typefaces.Fit(Caption(score, title), titleFont, style.Width - 32), 16, 36, SKTextAlign.Left, titleFont, paint);
        DrawLegend(canvas, score, labelFont, paint);
    }

    private void DrawGrid(SKCanvas canvas, Score score, SKRect plot, SKRect drumLane, long endTick, Func<long, float> x, SKFont font, SKPaint paint)
    {
        var bars = BarStarts(score, endTick).ToList();
        // Grid lines sit on whole pixels, crisp rather than smeared over two columns.
        using var line = new SKPaint { IsAntialias = false, StrokeWidth = 1 };
        float Column(long tick) => MathF.Floor(x(tick)) + 0.5f;
        // Label every n-th bar so labels stay at least ~70 px apart.
        var every = Math.Max(1, (int)Math.Ceiling(70 / (plot.Width / Math.Max(1, bars.Count))));
        for (var b = 0; b < bars.Count; b++)
        {
            var (start, meter) = bars[b];
            var beat = meter.TicksPerBeat(score.TicksPerQuarter);
            line.Color = style.Grid;
            // Beat lines only where they are far enough apart to read as a grid rather than a haze.
            var beatsVisible = plot.Width * beat / endTick >= 6;
            for (var tick = start + beat; beatsVisible && tick < start + meter.TicksPerBar(score.TicksPerQuarter) && tick < endTick; tick += beat)
            {
                canvas.DrawLine(Column(tick), plot.Top, Column(tick), plot.Bottom, line);
            }

            line.Color = style.BarLine;
            canvas.DrawLine(Column(start), plot.Top, Column(start), drumLane.IsEmpty ? plot.Bottom : drumLane.Bottom, line);
            if (b % every == 0)
            {
                paint.Color = style.MutedText;
                canvas.DrawText((b + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), x(start) + 4, (drumLane.IsEmpty ? plot.Bottom : drumLane.Bottom) + 24, SKTextAlign.Left, font, paint);
            }
        }

        if (!drumLane.IsEmpty)
        {
            paint.Color = style.Grid;
            canvas.DrawRect(drumLane.Left, drumLane.Top - 2, drumLane.Width, 1, paint);
        }
    }

    private void DrawLegend(SKCanvas canvas, Score score, SKFont font, SKPaint paint)
    {
        var xPos = Left;
        var y = style.Height - 16;
        for (var t = 0; t < score.Tracks.Count; t++)
        {
            var track = score.Tracks[t];
            var label = Typefaces.Fit(track.Name.Length > 0 ? track.Name : track.InstrumentName, font, 300);
            var width = 22 + font.MeasureText(label) + 24;
            if (xPos + width > style.Width - Right)
            {
                paint.Color = style.MutedText;
                canvas.DrawText($"+{score.Tracks.Count - t} more", xPos, y, SKTextAlign.Left, font, paint);
                break;
            }

            paint.Color = style.TrackColors[t % style.TrackColors.Count];
            canvas.DrawRoundRect(new SKRect(xPos, y - 16, xPos + 16, y), 3, 3, paint);
            paint.Color = style.Text;
            canvas.DrawText(label, xPos + 22, y, SKTextAlign.Left, font, paint);
            xPos += width;
        }
    }

    private static string Caption(Score score, string title)
    {
        var key = KeyEstimator.KeyOf(score);
        var seconds = TimeSpan.FromSeconds(Math.Round(score.DurationSeconds));
        return $"{title}  ·  {seconds:m\\:ss}  ·  {score.TempoMap.InitialBpm:0} bpm  ·  {score.InitialMeter}{(key is { } k ? "  ·  " + k.Name : "")}";
    }

    /// <summary>The start tick and meter of every bar up to the end.</summary>
    private static IEnumerable<(long Start, MeterChange Meter)> BarStarts(Score score, long endTick)
    {
        var meters = score.Meters;
        long tick = 0;
        var m = 0;
        while (tick < endTick)
        {
            while (m + 1 < meters.Count && meters[m + 1].Tick <= tick)
            {
                m++;
            }

            yield return (tick, meters[m]);
            var next = tick + meters[m].TicksPerBar(score.TicksPerQuarter);
            // A meter change in the middle of a bar starts a new bar there.
            tick = m + 1 < meters.Count && meters[m + 1].Tick < next ? meters[m + 1].Tick : next;
        }
    }
}
