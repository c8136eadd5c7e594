using ComposerBot.Music;

namespace ComposerBot.TestSupport;

/// <summary>Scores for tests and benchmarks, built from a seed so they are the same on every run.</summary>
public static class TestScores
{
    public const int Ppq = 480;

    /// <summary>
    /// A multi-track piece of about <paramref name="seconds"/> at 120 bpm in 4/4, D minor: melody,
    /// chords, bass and drums, like the arranger's output.
    /// </summary>
    public static Score Band(double seconds = 60, int seed = 7)
    {
        var random = new Random(seed);
        var bars = (int)Math.Round(seconds / 2.0);
        const int bar = Ppq * 4;
        int[] roots = [62, 58, 53, 57]; // Dm, Bb, F, A
        var melody = new List<Note>();
        var chords = new List<Note>();
        var bass = new List<Note>();
        var drums = new List<Note>();
        int[] scale = [62, 64, 65, 67, 69, 70, 72, 74];
        for (var b = 0; b < bars; b++)
        {
            var start = (long)b * bar;
            var root = roots[b % roots.Length];
            foreach (var interval in new[] { 0, 3, 7 })
            {
                var third = root == 58 || root == 53 ? (interval == 3 ? 4 : interval) : interval;
                chords.Add(new Note(root - 12 + third, start, bar - 10, 70));
            }

            bass.Add(new Note(root - 24, start, Ppq * 2 - 10, 90));
            bass.Add(new Note(root - 24, start + (Ppq * 2), Ppq * 2 - 10, 85));
            for (var beat = 0; beat < 4; beat++)
            {
                drums.Add(new Note(beat % 2 == 0 ? 36 : 38, start + (beat * Ppq), Ppq / 4, 100));
                drums.Add(new Note(42, start + (beat * Ppq), Ppq / 8, 70));
                drums.Add(new Note(42, start + (beat * Ppq) + (Ppq / 2), Ppq / 8, 60));
            }

            for (var pos = 0L; pos < bar;)
            {
                var length = random.Next(3) switch { 0 => Ppq / 2, 1 => Ppq, _ => Ppq * 2 };
                length = (int)Math.Min(length, bar - pos);
                melody.Add(new Note(scale[random.Next(scale.Length)] + 12, start + pos, length - 20, 80 + random.Next(30)));
                pos += length;
            }
        }

        return new Score(
            TempoMap.Constant(Ppq, 120),
            [
                new Track("Lead", 73, 0, false, Track.Sort(melody)),
                new Track("Pad", 48, 1, false, Track.Sort(chords)),
                new Track("Bass", 33, 2, false, Track.Sort(bass)),
                new Track("Drums", 0, Track.DrumChannel, true, Track.Sort(drums)),
            ],
            [new MeterChange(0, 4, 4)],
            new KeySignature(-1, KeyMode.Minor));
    }

    /// <summary>One sustained note on one track.</summary>
    public static Score SingleNote(int pitch = 60, double seconds = 2, int program = 0) => new(
        TempoMap.Constant(Ppq, 120),
        [new Track("Solo", program, 0, false, ValueList.Of(new Note(pitch, 0, (long)(seconds * 2 * Ppq), 100)))]);
}
