using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ComposerBot.Generation.Tests;

public class LeadSheetTokenizerTests
{
    private static readonly LeadSheetTokenizer Tokenizer = new();

    /// <summary>Quantised lead sheets: notes and chord changes on the 12-per-quarter grid, one velocity.</summary>
    public static class QuantisedSheets
    {
        public static Arbitrary<(LeadSheet, Conditioning)> Sheets() => Arb.From(
            from meterIndex in Gen.Choose(0, LeadSheetTokenizer.Meters.Length - 1)
            from tonic in Gen.Choose(0, 11)
            from minor in Gen.Elements(true, false)
            from bars in Gen.Choose(1, 12)
            from feel in Gen.Elements(LeadSheetTokenizer.Feels)
            from tempoBucket in Gen.Choose(0, LeadSheetTokenizer.TempoBucketEdges.Length)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select Build(meterIndex, tonic, minor, bars, feel, tempoBucket, seed));

        private static (LeadSheet, Conditioning) Build(int meterIndex, int tonic, bool minor, int bars, string feel, int tempoBucket, int seed)
        {
            var random = new Random(seed);
            var (n, d) = LeadSheetTokenizer.Meters[meterIndex];
            var meter = new MeterChange(0, n, d);
            var step = LeadSheetTokenizer.TicksPerStep;
            var end = bars * meter.TicksPerBar(LeadSheet.Resolution);
            var melody = new List<Note>();
            for (long t = random.Next(0, 6) * step; t < end;)
            {
                var length = Math.Min(random.Next(1, 30) * step, end - t);
                melody.Add(new Note(random.Next(LeadSheetTokenizer.LowestPitch, LeadSheetTokenizer.HighestPitch + 1), t, length, LeadSheetTokenizer.Velocity));
                t += length + (random.Next(4) == 0 ? random.Next(1, 8) * step : 0);
            }

            var chords = new List<ChordSpan>();
            for (long t = 0; t < end;)
            {
                var length = Math.Min(random.Next(1, 40) * step, end - t);
                chords.Add(new ChordSpan(t, length, new Chord(random.Next(12), (ChordQuality)random.Next(8))));
                t += length;
            }

            var sections = Enumerable.Range(0, bars).Where(_ => random.Next(3) == 0).ToDictionary(b => b, _ => LeadSheetTokenizer.SectionNames[random.Next(LeadSheetTokenizer.SectionNames.Length)]);
            var bpm = LeadSheetTokenizer.TempoBucketCentre(tempoBucket);
            var sheet = new LeadSheet(meter, KeySignature.FromTonic(tonic, minor ? KeyMode.Minor : KeyMode.Major), bpm, bars, melody.ToValueList(), chords.ToValueList());
            return (sheet, new Conditioning(feel, bpm) { Sections = sections });
        }
    }

    [Property(Arbitrary = [typeof(QuantisedSheets)], MaxTest = 300)]
    public bool Quantised_lead_sheets_round_trip_exactly((LeadSheet Sheet, Conditioning Conditioning) input)
    {
        var (sheet, conditioning) = Tokenizer.Decode(Tokenizer.Encode(input.Sheet, input.Conditioning));
        return sheet == input.Sheet
            && conditioning.Feel == input.Conditioning.Feel
            && conditioning.Bpm == input.Conditioning.Bpm
            && conditioning.Sections.OrderBy(s => s.Key).SequenceEqual(input.Conditioning.Sections.OrderBy(s => s.Key));
    }

    [Fact]
    public void A_tiny_sheet_reads_as_expected()
    {
        var sheet = new LeadSheet(new MeterChange(0, 3, 4), new KeySignature(1, KeyMode.Major), 120, 1,
            ValueList.Of(new Note(67, 0, 24, 90), new Note(71, 24, 48, 90)),
            ValueList.Of(new ChordSpan(0, 72, new Chord(7, ChordQuality.Major))));
        var tokens = Tokenizer.Encode(sheet, new Conditioning("waltz", 120) { Sections = new Dictionary<int, string> { [0] = "A" } }).Select(id => Tokenizer[id].ToString());
        Assert.Equal(["Begin", "Feel:4", "Meter:1", "Key:7", "Mode:0", "Tempo:4", "Bars:1", "Density:1", "Bar", "Section:1",
            "Position:0", "Chord:56", "Pitch:67", "Duration:12", "Position:12", "Pitch:71", "Duration:24", "End"], tokens);
    }

    [Fact]
    public void Every_token_has_one_id_and_back()
    {
        Assert.Equal(Enumerable.Range(0, Tokenizer.VocabularySize), Enumerable.Range(0, Tokenizer.VocabularySize).Select(i => Tokenizer.Id(Tokenizer[i])));
        Assert.InRange(Tokenizer.VocabularySize, 300, 600);
    }

    [Fact]
    public void A_note_off_the_grid_is_refused_with_the_reason()
    {
        var sheet = new LeadSheet(new MeterChange(0, 4, 4), new KeySignature(0, KeyMode.Major), 120, 1, ValueList.Of(new Note(60, 0, 3, 90)), ValueList.From<ChordSpan>([]));
        Assert.Contains("off the grid", Assert.Throws<ArgumentException>(() => Tokenizer.Encode(sheet, new Conditioning())).Message);
    }

    [Property(Arbitrary = [typeof(QuantisedSheets)], MaxTest = 100)]
    public bool Quantising_a_quantised_sheet_changes_nothing((LeadSheet Sheet, Conditioning Conditioning) input) =>
        LeadSheetTokenizer.Quantize(input.Sheet) == input.Sheet;

    [Fact]
    public void Quantising_snaps_32nds_and_odd_ticks_to_the_grid_so_the_sheet_tokenizes()
    {
        var sheet = new LeadSheet(new MeterChange(0, 4, 4), new KeySignature(0, KeyMode.Major), 120, 1,
            ValueList.Of(new Note(60, 0, 3, 70), new Note(62, 3, 3, 80), new Note(64, 7, 41, 90), new Note(130, 48, 48, 90)),
            ValueList.Of(new ChordSpan(0, 49, new Chord(0, ChordQuality.Major)), new ChordSpan(49, 47, new Chord(7, ChordQuality.Major))));
        var quantised = LeadSheetTokenizer.Quantize(sheet);
        Assert.Null(LeadSheetTokenizer.Unsupported(quantised));
        // One step is two ticks: 3 ticks round to 4, a note at 3-6 becomes 4-6, pitch 130 folds down two octaves to 106.
        Assert.Equal([new Note(60, 0, 4, 90), new Note(62, 4, 2, 90), new Note(64, 8, 40, 90), new Note(106, 48, 48, 90)], quantised.Melody);
        Assert.Equal([0L, 50L], quantised.Chords.Select(c => c.Start));
        Assert.Equal(quantised, Tokenizer.Decode(Tokenizer.Encode(quantised, new Conditioning("reel", 120))).Sheet with { Bpm = 120 });
    }

    [Theory]
    [InlineData(50, 0)]
    [InlineData(60, 1)]
    [InlineData(120, 4)]
    [InlineData(200, 8)]
    public void Tempi_fall_into_buckets(double bpm, int bucket) => Assert.Equal(bucket, LeadSheetTokenizer.TempoBucket(bpm));
}
