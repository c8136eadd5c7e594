using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.TestSupport;

/// <summary>Small lead sheets whose metric values are known by hand.</summary>
public static class Melodies
{
    public const int Quarter = LeadSheet.Resolution;

    /// <summary>A lead sheet of quarter notes with the given pitches, in 4/4.</summary>
    public static LeadSheet Quarters(int[] pitches, KeySignature? key = null, int beatsPerBar = 4)
    {
        var notes = pitches.Select((p, i) => new Note(p, (long)i * Quarter, Quarter, 90)).ToValueList();
        var meter = new MeterChange(0, beatsPerBar, 4);
        var bars = (int)Math.Ceiling(pitches.Length / (double)beatsPerBar);
        return new LeadSheet(meter, key ?? new KeySignature(0, KeyMode.Major), 120, Math.Max(1, bars), notes, ValueList.From<ChordSpan>([]));
    }

    /// <summary>A seeded random walk in a key: different every seed, the same for one seed.</summary>
    public static int[] Walk(int seed, int length, int tonic = 60, int[]? scale = null)
    {
        scale ??= [0, 2, 4, 5, 7, 9, 11];
        var random = new Random(seed);
        var degree = 7;
        var pitches = new int[length];
        for (var i = 0; i < length; i++)
        {
            degree = Math.Clamp(degree + random.Next(-2, 3), 0, 14);
            pitches[i] = tonic + (12 * (degree / 7)) + scale[degree % 7] - 12;
        }

        return pitches;
    }
}
