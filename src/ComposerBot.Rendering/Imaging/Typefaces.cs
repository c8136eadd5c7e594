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
}
