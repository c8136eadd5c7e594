using ComposerBot.Rendering.Imaging;
using SkiaSharp;

namespace ComposerBot.Evaluation;

/// <summary>
/// The self-similarity pictures of the report: one row per set, one panel per piece, each the bar-level
/// self-similarity matrix (dark: the bars are alike; the off-diagonal stripes are repeated phrases).
/// </summary>
public static class SelfSimilarityPlot
{
    private const int Panel = 300;
    private const int Margin = 24;
    private const int Caption = 56;
    private const int RowLabel = 34;

    public static string Write(string path, IReadOnlyList<(string Set, IReadOnlyList<(string Title, double[,] Matrix)> Pieces)> rows)
    {
        var columns = Math.Max(1, rows.Max(r => r.Pieces.Count));
        var width = Margin + (columns * (Panel + Margin));
        var height = 56 + (rows.Count * (RowLabel + Panel + Caption));
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = Typefaces.Typeface();
        using var titleFont = new SKFont(typeface, 18);
        using var labelFont = new SKFont(typeface, 15);
        using var text = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        using var cell = new SKPaint { IsAntialias = false };
        canvas.DrawText(Typefaces.Fit("Bar self-similarity, three pieces per set (dark = alike; stripes off the diagonal = restated phrases)", titleFont, width - (2 * Margin)), Margin, 34, SKTextAlign.Left, titleFont, text);
        for (var r = 0; r < rows.Count; r++)
        {
            var top = 56 + (r * (RowLabel + Panel + Caption));
            canvas.DrawText(rows[r].Set, Margin, top + 22, SKTextAlign.Left, titleFont, text);
            for (var c = 0; c < rows[r].Pieces.Count; c++)
            {
                var (title, matrix) = rows[r].Pieces[c];
                var left = Margin + (c * (Panel + Margin));
                var n = matrix.GetLength(0);
                var size = n == 0 ? 0 : (float)Panel / n;
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        var shade = (byte)Math.Round(255 * (1 - Math.Clamp(matrix[i, j], 0, 1)));
                        cell.Color = new SKColor(shade, shade, (byte)Math.Min(255, shade + 30));
                        canvas.DrawRect(left + (j * size), top + RowLabel + (i * size), size + 0.5f, size + 0.5f, cell);
                    }
                }

                // "#n: bars" on the first line, the form's letters (cut to the panel) on the second.
                var split = title.IndexOf(", ", StringComparison.Ordinal);
                var (head, form) = split < 0 ? (title, "") : (title[..split], title[(split + 2)..]);
                canvas.DrawText(Typefaces.Fit(head, labelFont, Panel), left, top + RowLabel + Panel + 20, SKTextAlign.Left, labelFont, text);
                canvas.DrawText(Typefaces.Fit(form, labelFont, Panel), left, top + RowLabel + Panel + 40, SKTextAlign.Left, labelFont, text);
            }
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 90);
        using (var file = File.Create(path))
        {
            data.SaveTo(file);
        }

        return path;
    }
}
