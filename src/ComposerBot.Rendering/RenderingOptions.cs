using ComposerBot.Rendering.Loudness;
using ComposerBot.Rendering.Synthesis;

namespace ComposerBot.Rendering;

/// <summary>Configuration section "Rendering".</summary>
public sealed class RenderingOptions
{
    public const string SectionName = "Rendering";

    /// <summary>An explicit SoundFont (from --soundfont, or the COMPOSERBOT_SOUNDFONT variable).</summary>
    public string? SoundFont { get; set; }

    /// <summary>Folders searched for a .sf2 or .sf3 when no SoundFont is named.</summary>
    public IList<string> SoundFontDirectories { get; } = [];

    /// <summary>
    /// The system's SoundFonts, the first installed one used: MuseScore General (Debian
    /// musescore-general-soundfont, the default), then FluidR3_GM (fluid-soundfont-gm, the fallback).
    /// </summary>
    public IList<string> SystemSoundFonts { get; } = [];

    /// <summary>The system SoundFonts when none are configured, in order of preference.</summary>
    public static readonly IReadOnlyList<string> DefaultSystemSoundFonts =
        ["/usr/share/sounds/sf3/MuseScore_General.sf3", "/usr/share/sounds/sf3/MuseScore_General_Full.sf3", "/usr/share/sounds/sf2/FluidR3_GM.sf2"];

    /// <summary>Load the chip voices (pulse, triangle, noise kit; built by our code) over the main SoundFont.</summary>
    public bool ChipVoices { get; set; } = true;

    /// <summary>Where built files (the chip SoundFont) are kept; the user's cache folder when not set.</summary>
    public string? CacheDirectory { get; set; }

    public string FfmpegPath { get; set; } = "ffmpeg";

    public SynthSettings Synth { get; set; } = new();

    public LoudnessTarget Loudness { get; set; } = new();

    public RenderLimits Limits { get; set; } = new();

    /// <summary>
    /// Plain renders (no loop, exact length or stems) of music longer than this stream through a spool on
    /// disk instead of holding the audio in memory (Rendering__StreamAboveSeconds).
    /// </summary>
    public double StreamAboveSeconds { get; set; } = 300;

    /// <summary>The default byte limit for an encoded file: Discord's 10 MiB attachment limit.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
}
