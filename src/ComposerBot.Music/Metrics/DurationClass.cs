namespace ComposerBot.Music.Metrics;

/// <summary>
/// The 12 note-length classes of mgeval: whole, half, quarter, 8th, 16th; dotted half, quarter, 8th,
/// 16th; half, quarter and 8th triplets. A length goes to the class nearest on a log scale.
/// </summary>
public static class DurationClass
{
    public const int Count = 12;

    /// <summary>The classes' lengths in quarter notes, in class order.</summary>
    public static readonly double[] Quarters = [4, 2, 1, 0.5, 0.25, 3, 1.5, 0.75, 0.375, 4.0 / 3, 2.0 / 3, 1.0 / 3];

    public static readonly string[] Names = ["1", "1/2", "1/4", "1/8", "1/16", "1/2.", "1/4.", "1/8.", "1/16.", "1/2t", "1/4t", "1/8t"];

    public static int Of(long ticks, int ticksPerQuarter)
    {
        var quarters = (double)ticks / ticksPerQuarter;
        var best = 0;
        var bestDistance = double.MaxValue;
        for (var c = 0; c < Count; c++)
        {
            var distance = Math.Abs(Math.Log(quarters / Quarters[c]));
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = c;
            }
        }

        return best;
    }
}
