using ComposerBot.Music.Metrics;
using ComposerBot.TestSupport;

namespace ComposerBot.Music.Tests;

public class TheoryProfileTests
{
    [Fact]
    public void Five_equal_notes_in_a_row_have_one_excessive_repeat()
    {
        var counts = TheoryProfile.Count(Melodies.Quarters([60, 60, 60, 60, 60]));
        Assert.Equal(1, counts.ExcessivelyRepeated);
        Assert.Equal(20, TheoryProfile.Aggregate([counts]).ExcessivelyRepeatedPercent, 9);
    }

    [Fact]
    public void Four_equal_notes_are_not_excessive() =>
        Assert.Equal(0, TheoryProfile.Count(Melodies.Quarters([60, 60, 60, 60, 62])).ExcessivelyRepeated);

    [Fact]
    public void A_c_major_scale_is_all_in_key_starts_on_the_tonic_and_has_unique_extremes()
    {
        var profile = TheoryProfile.Of([Melodies.Quarters([60, 62, 64, 65, 67, 69, 71, 72])]);
        Assert.Equal(0, profile.NotInKeyPercent);
        Assert.Equal(100, profile.StartsWithTonicPercent);
        Assert.Equal(100, profile.UniqueMaxPercent);
        Assert.Equal(100, profile.UniqueMinPercent);
    }

    [Fact]
    public void Out_of_key_notes_are_counted_and_the_minor_leading_tone_is_in_key()
    {
        // C major: F# is outside. A minor: G# (the raised 7th) is inside, F# is not.
        Assert.Equal(25, TheoryProfile.Of([Melodies.Quarters([60, 66, 64, 60])]).NotInKeyPercent);
        var aMinor = new KeySignature(0, KeyMode.Minor);
        Assert.Equal(25, TheoryProfile.Of([Melodies.Quarters([69, 68, 66, 69], aMinor)]).NotInKeyPercent);
    }

    [Fact]
    public void A_leap_is_resolved_by_a_step_back_the_other_way()
    {
        // Up a fifth then down a step: resolved. Up a sixth then up again: not.
        var counts = TheoryProfile.Count(Melodies.Quarters([60, 67, 65, 64, 73, 76]));
        Assert.Equal((2, 1), (counts.Leaps, counts.LeapsSteppedBack));
    }

    [Fact]
    public void Leaps_are_resolved_as_rl_tuner_counts_them_by_coming_back_past_their_start()
    {
        // Up a fifth from 60, then steps down to 60: resolved when it reaches 60 (RL Tuner's gradual return).
        var counts = TheoryProfile.Count(Melodies.Quarters([60, 67, 65, 62, 60, 62]));
        Assert.Equal((1, 1, 1, 0), (counts.Leaps, counts.LeapsSteppedBack, counts.LeapsResolved, counts.LeapsDoubled));

        // Up a fifth twice in a row: doubled; a leap never answered counts neither way.
        var doubled = TheoryProfile.Count(Melodies.Quarters([60, 67, 74, 72, 71]));
        Assert.Equal((0, 1), (doubled.LeapsResolved, doubled.LeapsDoubled));
        Assert.Equal(0, TheoryProfile.Aggregate([doubled]).LeapsResolvedPercent);
        Assert.Equal(50, TheoryProfile.Aggregate([counts, doubled]).LeapsResolvedPercent);
        var open = TheoryProfile.Count(Melodies.Quarters([60, 67, 69, 71]));
        Assert.Equal((0, 0), (open.LeapsResolved, open.LeapsDoubled));
    }

    [Fact]
    public void A_leap_straight_back_resolves_only_after_more_than_six_sixteenth_steps()
    {
        // Quarter notes are 4 sixteenths apart: a leap back one quarter after the leap closes it unresolved
        // (3 steps between); after two quarters (7 steps between) it resolves.
        var soon = TheoryProfile.Count(Melodies.Quarters([60, 67, 59, 57]));
        Assert.Equal((0, 0), (soon.LeapsResolved, soon.LeapsDoubled));
        var later = TheoryProfile.Count(Melodies.Quarters([60, 67, 69, 61]));
        Assert.Equal((1, 0), (later.LeapsResolved, later.LeapsDoubled));
    }

    [Fact]
    public void Motifs_are_bars_with_three_distinct_pitches_and_repeats_are_found_transposed()
    {
        // Bar 1 and bar 2 have the same shape a step apart; bar 3 has only two pitches.
        var counts = TheoryProfile.Count(Melodies.Quarters([60, 64, 67, 64, 62, 66, 69, 66, 60, 60, 62, 62]));
        Assert.Equal(8, counts.NotesInMotif);
        Assert.Equal(8, counts.NotesInRepeatedMotif);
    }

    [Fact]
    public void A_zigzag_has_negative_lag_one_autocorrelation()
    {
        Assert.True(TheoryProfile.Autocorrelation([60, 70, 60, 70, 60, 70, 60, 70], 1) < -0.8);
        Assert.True(TheoryProfile.Autocorrelation([60, 70, 60, 70, 60, 70, 60, 70], 2) > 0.7);
    }
}
