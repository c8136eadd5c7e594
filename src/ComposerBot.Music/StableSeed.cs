namespace ComposerBot.Music;

/// <summary>
/// Seeds derived from seeds, the same in every process: <see cref="HashCode.Combine{T1, T2}"/> is salted
/// per process, so a generator seeded with it gives another sequence in the next run (a track regenerated
/// from its receipt would differ).
/// </summary>
public static class StableSeed
{
    /// <summary>Mixes the values (SplitMix64's finaliser over each in turn) into one non-negative seed.</summary>
    public static int Combine(params ReadOnlySpan<int> values)
    {
        var state = 0x9E3779B97F4A7C15UL;
        foreach (var value in values)
        {
            state += (ulong)(uint)value + 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            state = z ^ (z >> 31);
        }

        return (int)(state & int.MaxValue);
    }
}
