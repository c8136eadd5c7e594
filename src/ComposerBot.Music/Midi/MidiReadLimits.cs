namespace ComposerBot.Music.Midi;

/// <summary>Bounds that keep a hostile or broken file from using unbounded time or memory.</summary>
public sealed record MidiReadLimits
{
    public static MidiReadLimits Default { get; } = new();

    public long MaxBytes { get; init; } = 16 * 1024 * 1024;

    public int MaxTracks { get; init; } = 256;

    public int MaxNotes { get; init; } = 500_000;

    /// <summary>Controller, program, pitch-wheel, pressure and SysEx messages together.</summary>
    public int MaxControls { get; init; } = 2_000_000;

    public double MaxBpm { get; init; } = 1000;
}
