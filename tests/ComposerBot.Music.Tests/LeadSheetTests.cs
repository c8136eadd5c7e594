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

    [Fact]
    public void An_opening_replaces_the_first_bars_and_the_rest_is_kept()
    {
        var generated = Sheet(4, pitch: 72);
        var opening = Sheet(2, pitch: 60);
        var joined = generated.WithOpening(opening, 2);

        Assert.Equal(4, joined.Bars);
        Assert.All(joined.Melody.Where(n => n.Start < 2 * joined.TicksPerBar), n => Assert.InRange(n.Pitch, 60, 62));
        Assert.All(joined.Melody.Where(n => n.Start >= 2 * joined.TicksPerBar), n => Assert.InRange(n.Pitch, 72, 74));
        Assert.Equal(generated.Melody.Count, joined.Melody.Count);
        Assert.Equal(joined.Chords.OrderBy(c => c.Start), joined.Chords);
        Assert.All(joined.Chords.Zip(joined.Chords.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start));
    }

    [Fact]
    public void An_opening_that_crosses_the_cut_is_shortened_to_it_and_a_different_meter_is_refused()
    {
        var opening = new LeadSheet(new MeterChange(0, 4, 4), new KeySignature(0, KeyMode.Major), 120, 2, ValueList.Of(new Note(60, 72, 48, 90)), ValueList.Of<ChordSpan>());
        var joined = Sheet(4, 72).WithOpening(opening, 1);
        Assert.Equal(new Note(60, 72, 24, 90), joined.Melody[0]);
        Assert.Equal(3, opening.FirstBars(1).Melody[0].Start / 24);
        Assert.Equal(1, opening.FirstBars(1).Bars);

        var waltz = opening with { Meter = new MeterChange(0, 3, 4) };
        Assert.Throws<ArgumentException>(() => Sheet(4, 72).WithOpening(waltz, 1));
    }

    private static LeadSheet Sheet(int bars, int pitch)
    {
        var meter = new MeterChange(0, 4, 4);
        var key = new KeySignature(0, KeyMode.Major);
        var notes = Enumerable.Range(0, bars * 4).Select(i => new Note(pitch + (i % 3), i * 24L, 24, 90)).ToValueList();
        var chords = Enumerable.Range(0, bars * 2).Select(i => new ChordSpan(i * 48L, 48, new Chord(pitch % 12, ChordQuality.Major))).ToValueList();
        return new LeadSheet(meter, key, 120, bars, notes, chords);
    }
}
