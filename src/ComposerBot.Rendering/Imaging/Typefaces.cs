using SkiaSharp;

namespace ComposerBot.Rendering.Imaging;

/// <summary>
/// The typeface for pictures, loaded from a font file so no font service is needed: DejaVu Sans (Debian
/// fonts-dejavu-core), else Skia's default.
/// </summary>
public static class Typefaces
{
    public const string DejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public static SKTypeface Typeface() =>
        (File.Exists(DejaVuSans) ? SKTypeface.FromFile(DejaVuSans) : null) ?? SKTypeface.Default;

    /// <summary>The text, cut with an ellipsis where it would run past <paramref name="maxWidth"/> pixels in the font.</summary>
    public static string Fit(string text, SKFont font, float maxWidth)
    {
        if (font.MeasureText(text) <= maxWidth)
        {
            return text;
        }

        var length = text.Length;
        while (length > 1 && font.MeasureText(text[..length] + "…") > maxWidth)
        {
            length--;
        }

        return text[..length] + "…";
    }
}
