using ComposerBot.Music.Midi;
using FsCheck.Xunit;

namespace ComposerBot.Music.Tests;

public class MidiRoundTripProperties
{
    [Property(Arbitrary = [typeof(ScoreGenerators)], MaxTest = 200)]
    public bool Writing_then_reading_gives_the_same_score(Score score) =>
        MidiFileReader.Read(MidiFileWriter.ToBytes(score)) == Declared(score);

    [Property(Arbitrary = [typeof(ScoreGenerators)], MaxTest = 50)]
    public bool Round_trip_keeps_duration_and_note_count(Score score)
    {
        var back = MidiFileReader.Read(MidiFileWriter.ToBytes(score));
        return back.NoteCount == score.NoteCount && Math.Abs(back.DurationSeconds - Declared(score).DurationSeconds) < 1e-9;
    }

    /// <summary>
    /// The score as its file declares it: End of Track is the last event, so a tempo or meter change after
    /// the last note makes the piece end there (the silence a player plays).
    /// </summary>
    private static Score Declared(Score score)
    {
        var last = score.TempoMap.Changes.Select(c => c.Tick).Concat(score.Meters.Select(m => m.Tick)).Max();
        return last > score.EndTick ? score with { LengthTick = last } : score;
    }
}
