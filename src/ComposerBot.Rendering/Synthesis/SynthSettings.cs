namespace ComposerBot.Rendering.Synthesis;

/// <summary>How the synthesizer is set up; the same settings give bit-identical output.</summary>
public sealed record SynthSettings
{
    public int SampleRate { get; init; } = AudioBuffer.StandardSampleRate;

    /// <summary>Master gain. The loudness stage sets the final level; this only keeps the mix off the rails.</summary>
    public double Gain { get; init; } = 0.4;

    public int Polyphony { get; init; } = 512;

    public bool Reverb { get; init; } = true;

    public bool Chorus { get; init; } = true;

    /// <summary>Load a preset's samples when a channel first uses it, not the whole SoundFont up front.</summary>
    public bool DynamicSampleLoading { get; init; } = true;

    /// <summary>
    /// Presets kept selected for the life of the process (the styles' instruments), so their samples are
    /// loaded, and for a compressed SoundFont decoded, once rather than by every render.
    /// </summary>
    public IReadOnlyList<PresetRef> ResidentPresets { get; init; } = [];

    /// <summary>
    /// Release and reverb rendered after the last note ends, before trimming: the kept tail and a margin (the
    /// trim's threshold is relative to the render's peak). It was 1.5 s until 2026-11-27; 0.5 s renders a second
    /// less per piece and gave byte-identical MP3s for a 20-second track and a stinger of every style and a
    /// 60-second piano track (compared by hand).
    /// </summary>
    public double TailSeconds { get; init; } = 0.5;

    /// <summary>The most of that tail kept after the last note; it fades out to silence.</summary>
    public double KeptTailSeconds { get; init; } = 0.25;
}

/// <summary>A SoundFont preset: a bank and program, on a drum channel (bank 128) or a melodic one.</summary>
public readonly record struct PresetRef(int Bank, int Program, bool Drum);
