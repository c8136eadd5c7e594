using ComposerBot.Composition;
using ComposerBot.Generation.NGram;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
using ComposerBot.TestSupport;

namespace ComposerBot.Generation.Tests;

public class NGramComposerTests
{
    private static readonly NGramModel Model = NGramModel.Train(Enumerable.Range(0, 60).Select(i =>
        i % 2 == 0
            ? Melodies.Quarters(Melodies.Walk(i, 32), new KeySignature(0, KeyMode.Major))
            : Melodies.Quarters(Melodies.Walk(i, 30, 69, [0, 2, 3, 5, 7, 8, 10]), new KeySignature(0, KeyMode.Minor), beatsPerBar: 3)));

    private static readonly NGramComposer Composer = new(Model, "test");

    public static TheoryData<int, KeyMode, int, int> Specs => new()
    {
        { 2, KeyMode.Major, 4, 8 },
        { 9, KeyMode.Minor, 3, 12 },
        { 7, KeyMode.Major, 6, 5 },
        { 5, KeyMode.Minor, 4, 1 },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Generated_lead_sheets_honour_key_meter_and_bar_count_and_end_on_the_tonic(int tonic, KeyMode mode, int beats, int bars)
    {
        var key = KeySignature.FromTonic(tonic, mode);
        var meter = new MeterChange(0, beats, beats == 6 ? 8 : 4);
        var sheet = Composer.Generate(new LeadSheetSpec(key, meter, bars, 120, Seed: 11));
        Assert.Equal((key, meter, bars), (sheet.Key, sheet.Meter, sheet.Bars));

        // The melody fills the bars exactly, note after note, and ends on the tonic.
        Assert.Equal(0, sheet.Melody[0].Start);
        Assert.All(sheet.Melody.Zip(sheet.Melody.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        Assert.Equal(sheet.EndTick, sheet.Melody[^1].End);
        Assert.Equal(tonic, sheet.Melody[^1].Pitch % 12);

        // A chord per slot, opening and closing on the tonic chord.
        Assert.Equal(sheet.EndTick, sheet.Chords.Sum(c => c.Duration));
        Assert.Equal(tonic, sheet.Chords[0].Chord.Root);
        Assert.Equal(tonic, sheet.Chords[^1].Chord.Root);
    }

    [Fact]
    public void The_same_seed_gives_the_same_lead_sheet_and_another_seed_another()
    {
        var spec = new LeadSheetSpec(new KeySignature(1, KeyMode.Major), new MeterChange(0, 4, 4), 8, 110, Seed: 3);
        Assert.Equal(Composer.Generate(spec), Composer.Generate(spec));
        Assert.NotEqual(Composer.Generate(spec).Melody, Composer.Generate(spec with { Seed = 4 }).Melody);
    }

    [Fact]
    public void Melodies_like_the_training_set_are_likelier_than_random_ones()
    {
        var (likeNats, likeNotes) = Model.MelodyNll(Melodies.Quarters(Melodies.Walk(1000, 32)));
        var random = new Random(5);
        var (randomNats, randomNotes) = Model.MelodyNll(Melodies.Quarters([.. Enumerable.Range(0, 32).Select(_ => random.Next(48, 84))]));
        Assert.True(likeNats / likeNotes < randomNats / randomNotes - 1, $"{likeNats / likeNotes} vs {randomNats / randomNotes}");
    }

    [Fact]
    public void Cancellation_stops_generation() =>
        Assert.Throws<OperationCanceledException>(() => Composer.Generate(
            new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 8, 120, 1), new CancellationToken(canceled: true)));
}
