namespace ComposerBot.Music.Metrics;

/// <summary>
/// A melody as the originality checks see it: one symbol per interval, the pair (interval between two
/// consecutive notes, length class of the second note). Transposing the melody leaves it unchanged.
/// </summary>
public static class MelodySymbols
{
    public const int MaxInterval = 24;

    /// <summary>Symbols fit in 10 bits: (interval + 24) * 12 + duration class, below 49 * 12 = 588.</summary>
    public const int Bits = 10;

    public static ushort[] Of(IReadOnlyList<Note> melody, int ticksPerQuarter)
    {
        var ordered = melody.OrderBy(n => n.Start).ToList();
        var symbols = new ushort[Math.Max(0, ordered.Count - 1)];
        for (var i = 1; i < ordered.Count; i++)
        {
            var interval = Math.Clamp(ordered[i].Pitch - ordered[i - 1].Pitch, -MaxInterval, MaxInterval);
            symbols[i - 1] = (ushort)(((interval + MaxInterval) * DurationClass.Count) + DurationClass.Of(ordered[i].Duration, ticksPerQuarter));
        }

        return symbols;
    }
}
