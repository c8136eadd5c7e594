using ComposerBot.Music.Forms;
using ComposerBot.TestSupport;

namespace ComposerBot.Music.Tests;

public class MelodyStructureTests
{
    private static readonly int[] A = [60, 62, 64, 65];
    private static readonly int[] B = [67, 65, 64, 62];
    private static readonly int[] C = [69, 71, 72, 67];
    private static readonly int[] D = [64, 62, 59, 60];

    private static int[] Bars(params int[][] bars) => [.. bars.SelectMany(b => b)];

    [Fact]
    public void A_bar_is_exact_transposed_a_variation_or_new()
    {
        var sheet = Melodies.Quarters(Bars(A, A, [62, 64, 66, 67], [60, 62, 64, 69], B));
        var bars = MelodyStructure.Bars(sheet);
        Assert.Equal(BarRelation.Exact, MelodyStructure.Relate(bars[1], bars[0]).Relation);
        Assert.Equal((BarRelation.Transposed, 2), MelodyStructure.Relate(bars[2], bars[0]) is var t ? (t.Relation, t.Shift) : default);
        Assert.Equal(BarRelation.Variation, MelodyStructure.Relate(bars[3], bars[0]).Relation); // 3 of 4 pitches equal
        Assert.Equal(BarRelation.New, MelodyStructure.Relate(bars[4], bars[0]).Relation);
        Assert.Equal(1, MelodyStructure.Relate(bars[1], bars[0]).Similarity, 9);
    }

    [Fact]
    public void Half_the_notes_changed_is_not_a_variation()
    {
        var bars = MelodyStructure.Bars(Melodies.Quarters(Bars(A, [60, 62, 67, 69])));
        Assert.Equal(BarRelation.New, MelodyStructure.Relate(bars[1], bars[0]).Relation);
    }

    [Fact]
    public void The_form_of_an_aaba_tune_names_its_restatements()
    {
        var form = MelodyStructure.FormOf(Melodies.Quarters(Bars(A, B, A, B, C, D, A, [60, 62, 64, 60])));
        Assert.Equal([-1, -1, 0, 1, -1, -1, 0, 0], form.Sources);
        Assert.Equal("A B A B C D A A'", form.Letters());
    }

    [Fact]
    public void A_repeated_eight_bar_strain_is_half_repetition_at_every_scale()
    {
        var strain = Bars(A, B, C, D, [72, 71, 69, 67], [65, 64, 62, 65], [67, 69, 71, 67], [72, 67, 64, 60]);
        var repeated = StructureProfile.Of(Melodies.Quarters([.. strain, .. strain]));
        Assert.Equal(0.5, repeated.FourBarPhraseRepeats, 9);
        Assert.Equal(0.5, repeated.TwoBarPhraseRepeats, 9);
        Assert.InRange(repeated.BarRepeats, 0.5, 0.75);
        Assert.Equal(0.5, repeated.BarExact, 9);
        Assert.True(repeated.StructurenessMid > 0.9, $"SI mid {repeated.StructurenessMid}");

        var wandering = StructureProfile.Of(Melodies.Quarters(Melodies.Walk(3, 64)));
        Assert.True(wandering.StructurenessMid < 0.7 * repeated.StructurenessMid, $"SI mid {wandering.StructurenessMid} vs {repeated.StructurenessMid}");
        Assert.True(wandering.FourBarPhraseRepeats < 0.5);
    }

    [Fact]
    public void Grooving_similarity_is_one_for_one_rhythm_and_lower_for_two()
    {
        Assert.Equal(1, StructureProfile.GroovingSimilarityOf(Melodies.Quarters(Bars(A, B, C))), 9);
        var mixed = Melodies.Quarters(Bars(A, B)) is var sheet
            ? sheet with { Melody = sheet.Melody.Where((n, i) => i != 1).ToValueList() }
            : null!;
        Assert.Equal(1 - (1.0 / 48), StructureProfile.GroovingSimilarityOf(mixed), 9);
    }

    [Fact]
    public void Leaps_per_note_count_fifths_and_wider()
    {
        var profile = StructureProfile.Of(Melodies.Quarters([60, 67, 65, 72, 74, 62, 64, 60]));
        Assert.Equal(3.0 / 8, profile.LeapsPerNote, 9); // +7, +7, -12
    }

    [Fact]
    public void A_form_fitted_to_more_bars_repeats_in_rounds_and_to_fewer_is_cut()
    {
        var form = MelodyStructure.FormOf(Melodies.Quarters(Bars(A, B, A, C)));
        Assert.Equal([-1, -1, 0, -1, -1, -1, 4, -1, -1], form.FitTo(9).Sources);
        Assert.Equal([-1, -1, 0], form.FitTo(3).Sources);
    }

    [Fact]
    public void The_form_library_round_trips_and_picks_a_form_of_the_asked_meter_length_and_feel()
    {
        var reel = Melodies.Quarters(Bars(A, B, A, B));
        var waltz = Melodies.Quarters([.. A[..3], .. A[..3], .. B[..3]], beatsPerBar: 3);
        var library = FormLibrary.Build([("reel", reel), ("waltz", waltz)]);
        using var stream = new MemoryStream();
        library.Save(stream);
        stream.Position = 0;
        var loaded = FormLibrary.Load(stream);
        Assert.Equal(library.Entries, loaded.Entries);
        Assert.Equal([-1, 0, -1], loaded.Pick(3, 4, 3, "waltz", seed: 5).Sources);
        Assert.Equal([-1, -1, 0, 1], loaded.Pick(4, 4, 4, "jig", seed: 5).Sources);
        Assert.Equal([-1, -1, 0], loaded.Pick(4, 4, 3, null, seed: 1).Sources);
        Assert.Equal(12, loaded.Pick(6, 8, 12, null, seed: 1).Bars);
    }

    [Fact]
    public void A_damaged_forms_file_names_its_line()
    {
        using var stream = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip))
        {
            writer.Write("# header\nreel\t4/4\t- 0:e:0\nreel\t4/4\t- 3:e:0\n");
        }

        stream.Position = 0;
        Assert.Contains("line 3", Assert.Throws<InvalidDataException>(() => FormLibrary.Load(stream)).Message);
    }

    [Fact]
    public void New_bars_past_the_alphabet_get_two_letters() =>
        Assert.EndsWith("Y Z AA AB", BarForm.Free(28).Letters(), StringComparison.Ordinal);
}
