namespace ComposerBot.Generation.NGram;

/// <summary>
/// A melody note as the n-gram model sees it: its pitch relative to the key's tonic (tonic = 0 in the
/// octave of middle C) and its length up to the next onset, in lead-sheet ticks.
/// </summary>
internal readonly record struct MelodyEvent(int RelativePitch, int Ticks)
{
    public const int LowestPitch = -24;
    public const int HighestPitch = 35;
    public const int PitchCount = HighestPitch - LowestPitch + 1;
    public const int MaxTicks = 192;

    public int Symbol => ((RelativePitch - LowestPitch) * (MaxTicks + 1)) + Ticks;

    public static int VocabularySize => PitchCount * (MaxTicks + 1);

    public static MelodyEvent FromSymbol(int symbol) => new((symbol / (MaxTicks + 1)) + LowestPitch, symbol % (MaxTicks + 1));

    public static MelodyEvent Clamped(int relativePitch, long ticks) =>
        new(Math.Clamp(relativePitch, LowestPitch, HighestPitch), (int)Math.Clamp(ticks, 1, MaxTicks));
}
