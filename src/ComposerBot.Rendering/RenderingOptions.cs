using ComposerBot.Rendering.Loudness;
using ComposerBot.Rendering.Synthesis;

namespace ComposerBot.Rendering;

/// <summary>Configuration section "Rendering".</summary>
public sealed class RenderingOptions
{
    public const string SectionName = "Rendering";

    /// <summary>An explicit SoundFont (from --soundfont, or the COMPOSERBOT_SOUNDFONT variable).</summary>
    public string? SoundFont { get; set; }

    /// <summary>Folders searched for a .sf2 when no SoundFont is named.</summary>
    public IList<string> SoundFontDirectories { get; } = [];

    /// <summary>The SoundFont Debian's fluid-soundfont-gm installs: the last resort.</summary>
    public string SystemSoundFont { get; set; } = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

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
