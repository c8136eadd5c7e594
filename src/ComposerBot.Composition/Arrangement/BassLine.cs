using ComposerBot.Composition.Requests;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Composition.Arrangement;

/// <summary>The bass part's patterns, rooted in the octave from A1 to G#2 (MIDI 33-44).</summary>
internal static class BassLine
{
    private static int BassPitch(int pitchClass) => 33 + ((pitchClass + 3) % 12);

    public static void Play(BassPattern pattern, Chord chord, int nextRoot, long start, long length, ArrangementContext c, PartWriter part)
    {
        var root = BassPitch(chord.Root);
        var fifth = root + 7;
        if (c.IsHitBar(start))
        {
            part.Add(root, start, length, 124);
            return;
        }

        var eighth = c.Pulse / 2;
        switch (pattern)
        {
            case BassPattern.Octaves:
                for (long t = 0, i = 0; t < length; t += eighth, i++)
                {
                    part.Add(i % 2 == 0 ? root : root + 12, start + t, eighth - 20, c.Velocity(start + t) - 8);
                }

                break;
            case BassPattern.RootFifth:
                var half = length >= 2 * c.Pulse ? length / 2 : length;
                part.Add(root, start, half - 20, c.Velocity(start));
                if (half < length)
                {
                    part.Add(fifth, start + half, half - 20, c.Velocity(start + half) - 6);
                }

                break;
            case BassPattern.Walking:
                int[] tones = [root, root + (chord.Quality is ChordQuality.Minor or ChordQuality.Minor7 ? 3 : 4), fifth];
                var approach = BassPitch(nextRoot) - 1;
                var steps = (int)(length / c.Pulse);
                for (var i = 0; i < steps; i++)
                {
                    var pitch = i == steps - 1 && steps > 1 ? approach : tones[i % tones.Length];
                    part.Add(pitch, start + (i * c.Pulse), c.Pulse - 30, c.Velocity(start + (i * c.Pulse)) - 4);
                }

                break;
            case BassPattern.Pulse:
                for (long t = 0; t < length; t += eighth)
                {
                    part.Add(root, start + t, eighth - 30, c.Velocity(start + t) - (t % c.Pulse == 0 ? 0 : 10));
                }

                break;
            case BassPattern.Drone:
                part.Add(root, start, length, c.Velocity(start) - 20);
                break;
        }
    }
}
