using ComposerBot.Music.Metrics;
using ComposerBot.TestSupport;

namespace ComposerBot.Music.Tests;

public class MusPyMetricsTests
{
    [Fact]
    public void A_major_scale_is_perfectly_scale_consistent()
    {
        Assert.Equal(1.0, MusPyMetrics.ScaleConsistency(Melodies.Quarters([60, 62, 64, 65, 67, 69, 71, 72]).Melody), 9);
        // C to F# chromatically: Db major holds five of the seven (C, C#, Eb, F, F#), no key holds more.
        Assert.Equal(5 / 7.0, MusPyMetrics.ScaleConsistency(Melodies.Quarters([60, 61, 62, 63, 64, 65, 66]).Melody), 9);
    }

    [Fact]
    public void Entropy_of_twelve_equally_used_pitch_classes_is_log2_12()
    {
        var sheet = Melodies.Quarters([.. Enumerable.Range(60, 12)]);
        Assert.Equal(Math.Log2(12), MusPyMetrics.PitchClassEntropy(sheet.Melody), 9);
        Assert.Equal(0, MusPyMetrics.PitchEntropy(Melodies.Quarters([60, 60, 60]).Melody), 9);
    }

    [Fact]
    public void Empty_beats_polyphony_and_groove_from_a_hand_made_score()
    {
        // Bar 1: C-E-G chord on beat 1 for one beat, then silence for beats 2-3, a note on beat 4.
        // Bar 2: the same onsets.
        var notes = ValueList.Of(
            new Note(60, 0, 24, 90), new Note(64, 0, 24, 90), new Note(67, 0, 24, 90), new Note(72, 72, 24, 90),
            new Note(60, 96, 24, 90), new Note(72, 168, 24, 90));
        var score = new Score(TempoMap.Constant(24, 120), [new Track("", 0, 0, false, notes)]);
        Assert.Equal(4 / 8.0, MusPyMetrics.EmptyBeatRate(score), 9);
        Assert.Equal((3 + 1 + 1 + 1) / 4.0, MusPyMetrics.Polyphony(score), 9);
        Assert.Equal(4 / 32.0, MusPyMetrics.PolyphonyRate(score), 9);
        Assert.Equal(1.0, MusPyMetrics.GrooveConsistency(score), 9);
    }
}
