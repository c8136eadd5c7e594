using SkiaSharp;

namespace ComposerBot.Rendering.Imaging;

/// <summary>Sizes and colours of the piano-roll picture: legible when Discord scales it to ~500 px wide.</summary>
public sealed record PianoRollStyle
{
    public int Width { get; init; } = 1200;

    public int Height { get; init; } = 630;

    public SKColor Background { get; init; } = new(0x1B, 0x1D, 0x24);

    public SKColor Grid { get; init; } = new(0x2C, 0x30, 0x3A);

    public SKColor BarLine { get; init; } = new(0x5A, 0x61, 0x72);

    public SKColor Text { get; init; } = new(0xE6, 0xE8, 0xEE);

    public SKColor MutedText { get; init; } = new(0x9A, 0xA1, 0xB2);

    /// <summary>Track colours, distinct on a dark background and for common colour-vision deficiencies.</summary>
    public IReadOnlyList<SKColor> TrackColors { get; init; } =
    [
        new(0x4E, 0xA8, 0xDE), new(0xF2, 0x8E, 0x2B), new(0x59, 0xC9, 0x8C), new(0xE1, 0x57, 0x59),
        new(0xB0, 0x7A, 0xE0), new(0xED, 0xC9, 0x48), new(0xFF, 0x9D, 0xA7), new(0x76, 0xB7, 0xB2),
        new(0xC2, 0xA0, 0x7A), new(0xBA, 0xB0, 0xAC),
    ];

    public float TitleSize { get; init; } = 30;

    public float LabelSize { get; init; } = 22;
}
