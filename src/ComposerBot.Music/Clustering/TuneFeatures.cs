using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Music.Clustering;

/// <summary>
/// A tune as a fixed-length vector for clustering: its rhythm (meter family, where onsets fall in the beat,
/// note lengths), its intervals, its pitch classes relative to the tonic, and its density.
/// </summary>
public static class TuneFeatures
{
    private const int BeatBins = 12;
    private const int LengthBins = 7;
    private const int MaxInterval = 7;

    public static readonly string[] Names =
    [
        "two beats", "three beats", "four beats", "other beats", "compound",
        .. Enumerable.Range(0, BeatBins).Select(i => $"onset {i}/12 of a beat"),
        .. Enumerable.Range(0, LengthBins).Select(i => $"length 2^{i - 3} beats"),
        .. Enumerable.Range(-MaxInterval, (2 * MaxInterval) + 1).Select(i => $"interval {i:+0;-0;0}"),
        .. Enumerable.Range(0, 12).Select(i => $"degree {i}"),
        "notes per beat",
    ];

    public static int Length => Names.Length;

    /// <summary>The vector (histograms sum to 1); null for a tune with fewer than 8 notes.</summary>
    public static double[]? Of(LeadSheet sheet)
    {
        var notes = sheet.Melody;
        if (notes.Count < 8)
        {
            return null;
        }

        var compound = sheet.Meter.Denominator == 8 && sheet.Meter.Numerator % 3 == 0;
        var beatTicks = compound ? LeadSheet.Resolution * 3 / 2 : LeadSheet.Resolution * 4 / sheet.Meter.Denominator;
        var beatsPerBar = (int)(sheet.TicksPerBar / beatTicks);
        var v = new double[Length];
        v[beatsPerBar switch { 2 => 0, 3 => 1, 4 => 2, _ => 3 }] = 1;
        v[4] = compound ? 1 : 0;
        var at = 5;
        foreach (var note in notes)
        {
            var inBeat = (double)(note.Start % beatTicks) / beatTicks;
            v[at + Math.Min(BeatBins - 1, (int)(inBeat * BeatBins))] += 1.0 / notes.Count;
        }

        at += BeatBins;
        foreach (var note in notes)
        {
            var bin = (int)Math.Round(Math.Log2(Math.Max(note.Duration, 1) / (double)beatTicks)) + 3;
            v[at + Math.Clamp(bin, 0, LengthBins - 1)] += 1.0 / notes.Count;
        }

        at += LengthBins;
        for (var i = 1; i < notes.Count; i++)
        {
            var interval = Math.Clamp(notes[i].Pitch - notes[i - 1].Pitch, -MaxInterval, MaxInterval);
            v[at + interval + MaxInterval] += 1.0 / (notes.Count - 1);
        }

        at += (2 * MaxInterval) + 1;
        foreach (var note in notes)
        {
            v[at + ((((note.Pitch - sheet.Key.Tonic) % 12) + 12) % 12)] += 1.0 / notes.Count;
        }

        at += 12;
        v[at] = notes.Count / (double)(sheet.EndTick / beatTicks);
        return v;
    }
}
