using ComposerBot.Composition.Requests;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Composition.Arrangement;

/// <summary>The harmony part's patterns and voicings.</summary>
internal static class Comping
{
    public static void Play(CompingPattern pattern, Chord chord, long start, long length, ArrangementContext c, PartWriter part, Voicer voicer)
    {
        var voicing = voicer.For(chord, pattern, start, length);
        if (c.IsHitBar(start))
        {
            foreach (var p in voicing)
            {
                part.Add(p, start, length, 124);
            }

            return;
        }

        var sixteenth = c.Pulse / (c.Pulse % 3 == 0 && c.Plan.Meter.Denominator == 8 ? 6 : 4);
        switch (pattern)
        {
            case CompingPattern.Arpeggio:
                // Up the chord and on into its octave, as far as the tune leaves room.
                var up = voicing.Concat(voicing.Select(p => p + 12).Where(p => p <= Math.Min(voicing[^1] + 5, voicer.LastCeiling))).ToArray();
                for (long t = 0, i = 0; t < length; t += sixteenth, i++)
                {
                    part.Add(up[i % up.Length], start + t, sixteenth - 10, c.Velocity(start + t) - 12);
                }

                break;
            case CompingPattern.Sustained:
                foreach (var p in voicing)
                {
                    part.Add(p, start, length - 5, c.Velocity(start) - 15);
                }

                break;
            case CompingPattern.Block:
                for (long t = 0; t < length; t += c.Pulse)
                {
                    foreach (var p in voicing)
                    {
                        part.Add(p, start + t, (long)(c.Pulse * 0.85), c.Velocity(start + t) - 10);
                    }
                }

                break;
            case CompingPattern.PowerEighths:
                for (long t = 0; t < length; t += c.Pulse / 2)
                {
                    foreach (var p in voicing)
                    {
                        part.Add(p, start + t, (c.Pulse / 2) - 20, c.Velocity(start + t) - 5);
                    }
                }

                break;
            case CompingPattern.Broken:
                var eighth = c.Pulse / 2;
                var upper = voicing.Skip(1).ToArray();
                part.Add(voicing[0] - 12, start, length - 10, c.Velocity(start) - 12);
                for (long t = eighth, i = 0; t < length; t += eighth, i++)
                {
                    part.Add(upper[i % upper.Length], start + t, eighth, c.Velocity(start + t) - 20);
                }

                break;
            case CompingPattern.Strum:
                for (long t = 0; t < length; t += c.Pulse)
                {
                    for (var i = 0; i < voicing.Length; i++)
                    {
                        part.Add(voicing[i], start + t + (i * 12), c.Pulse - 30, c.Velocity(start + t) - 12 - (t % (2 * c.Pulse) == 0 ? 0 : 10));
                    }
                }

                break;
        }
    }
}
