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
    private const int Caption = 40;
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
        using var titleFont = new SKFont(typeface, 20);
        using var labelFont = new SKFont(typeface, 15);
        using var text = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        using var cell = new SKPaint { IsAntialias = false };
        canvas.DrawText("Bar-level self-similarity of three pieces per set (dark = alike; off-diagonal stripes = repeated phrases)", Margin, 34, SKTextAlign.Left, titleFont, text);
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

                canvas.DrawText(title.Length > 38 ? title[..37] + "…" : title, left, top + RowLabel + Panel + 22, SKTextAlign.Left, labelFont, text);
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
