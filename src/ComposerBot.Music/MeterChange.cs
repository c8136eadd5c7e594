namespace ComposerBot.Music;

/// <summary>A time signature from <see cref="Tick"/> on; the denominator is a power of two.</summary>
public readonly record struct MeterChange(long Tick, int Numerator, int Denominator)
{
    public override string ToString() => $"{Numerator}/{Denominator}";

    /// <summary>Ticks in one bar of this meter.</summary>
    public long TicksPerBar(int ticksPerQuarter) => (long)ticksPerQuarter * 4 * Numerator / Denominator;

    /// <summary>Ticks in one beat (the denominator's note value).</summary>
    public long TicksPerBeat(int ticksPerQuarter) => (long)ticksPerQuarter * 4 / Denominator;
}
