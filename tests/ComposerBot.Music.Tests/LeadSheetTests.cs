using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Music.Tests;

public class LeadSheetTests
{
    private static double[] Profile(params int[] pitchClasses)
    {
        var w = new double[12];
        foreach (var pc in pitchClasses)
        {
            w[pc] += 1;
        }

        return w;
    }

    [Theory]
    [InlineData(new[] { 0, 4, 7 }, "C")]
    [InlineData(new[] { 9, 0, 4 }, "Am")]
    [InlineData(new[] { 7, 11, 2, 5 }, "G7")]
    [InlineData(new[] { 2, 5, 9, 0 }, "Dm7")]
    [InlineData(new[] { 11, 2, 5 }, "Bdim")]
    public void The_recogniser_names_plain_chords(int[] pitchClasses, string name) =>
        Assert.Equal(name, ChordRecognizer.Recognize(Profile(pitchClasses))!.Value.Name);

    [Fact]
    public void A_passing_note_does_not_change_the_chord() =>
        Assert.Equal("F", ChordRecognizer.Recognize(Profile(5, 9, 0, 5, 9, 7))!.Value.Name);

    [Fact]
    public void An_empty_slot_has_no_chord() => Assert.Null(ChordRecognizer.Recognize(new double[12]));

    [Fact]
    public void The_extractor_takes_the_melody_track_and_reads_chords_from_the_accompaniment()
    {
        // Melody on track 0 (high), chords on track 1: C for bar 1, F then G for the halves of bar 2.
        var melody = ValueList.Of(new Note(72, 0, 960, 90), new Note(76, 960, 960, 90), new Note(77, 1920, 960, 90), new Note(79, 2880, 960, 90));
        var chords = ValueList.Of(
            new Note(48, 0, 1920, 70), new Note(52, 0, 1920, 70), new Note(55, 0, 1920, 70),
            new Note(53, 1920, 960, 70), new Note(57, 1920, 960, 70), new Note(60, 1920, 960, 70),
            new Note(55, 2880, 960, 70), new Note(59, 2880, 960, 70), new Note(62, 2880, 960, 70));
        var score = new Score(TempoMap.Constant(480, 100), [new Track("melody", 0, 0, false, melody), new Track("chords", 0, 1, false, chords)]);
        var sheet = LeadSheetExtractor.Extract(score, new PieceHints { MelodyTrack = 0 })!;
        Assert.Equal(2, sheet.Bars);
        Assert.Equal(4, sheet.Melody.Count);
        Assert.Equal(new Note(72, 0, 48, 90), sheet.Melody[0]);
        Assert.Equal(["C", "C", "F", "G"], sheet.Chords.Select(c => c.Chord.Name));
        Assert.Equal("C major", sheet.Key.Name);
        Assert.Equal(100, sheet.Bpm, 6);
    }

    [Fact]
    public void The_top_voice_keeps_the_highest_note_at_each_onset_and_cuts_overlaps()
    {
        var top = LeadSheetExtractor.TopVoice([new Note(60, 0, 48, 90), new Note(67, 0, 48, 90), new Note(64, 24, 48, 90)]);
        Assert.Equal([new Note(67, 0, 24, 90), new Note(64, 24, 48, 90)], top);
    }

    [Fact]
    public void Hints_override_the_files_meter_and_key()
    {
        var score = new Score(TempoMap.Constant(480, 120), [new Track("", 0, 0, false, ValueList.Of(new Note(69, 0, 480 * 6, 90)))]);
        var sheet = LeadSheetExtractor.Extract(score, new PieceHints { Meter = new MeterChange(0, 3, 4), Key = new KeySignature(0, KeyMode.Minor) })!;
        Assert.Equal("3/4", sheet.Meter.ToString());
        Assert.Equal("A minor", sheet.Key.Name);
        Assert.Equal(2, sheet.Bars);
        Assert.Equal(2, sheet.Chords.Count);
    }

    [Theory]
    [InlineData(96, 0)]
    [InlineData(24, 2)]
    [InlineData(12, 3)]
    [InlineData(36, 6)]
    [InlineData(8, 11)]
    [InlineData(16, 10)]
    [InlineData(25, 2)]
    public void Durations_map_to_mgeval_length_classes(int ticks, int expected) =>
        Assert.Equal(expected, DurationClass.Of(ticks, 24));
}
