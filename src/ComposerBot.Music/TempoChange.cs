namespace ComposerBot.Music;

/// <summary>A tempo from <see cref="Tick"/> on, in microseconds per quarter note as MIDI stores it.</summary>
public readonly record struct TempoChange(long Tick, int MicrosecondsPerQuarter)
{
    public const int DefaultMicrosecondsPerQuarter = 500_000;

    public double Bpm => 60_000_000.0 / MicrosecondsPerQuarter;

    public static int MicrosecondsFromBpm(double bpm) => (int)Math.Round(60_000_000.0 / bpm);
}
