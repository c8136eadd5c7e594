using ComposerBot.Music.Midi;
using FsCheck.Xunit;

namespace ComposerBot.Music.Tests;

public class MidiRoundTripProperties
{
    [Property(Arbitrary = [typeof(ScoreGenerators)], MaxTest = 200)]
    public bool Writing_then_reading_gives_the_same_score(Score score) =>
        MidiFileReader.Read(MidiFileWriter.ToBytes(score)) == score;

    [Property(Arbitrary = [typeof(ScoreGenerators)], MaxTest = 50)]
    public bool Round_trip_keeps_duration_and_note_count(Score score)
    {
        var back = MidiFileReader.Read(MidiFileWriter.ToBytes(score));
        return back.NoteCount == score.NoteCount && Math.Abs(back.DurationSeconds - score.DurationSeconds) < 1e-9;
    }
}
