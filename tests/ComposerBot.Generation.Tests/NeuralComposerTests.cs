using ComposerBot.Composition;
using ComposerBot.Composition.Requests;
using ComposerBot.Generation.Neural;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Generation.Tests;

[Collection(SerialTorch.Name)]
public class NeuralComposerTests
{
    [Theory]
    [InlineData(2, KeyMode.Major, 4, 4, 8)]
    [InlineData(9, KeyMode.Minor, 3, 4, 12)]
    [InlineData(7, KeyMode.Major, 6, 8, 5)]
    [InlineData(5, KeyMode.Minor, 12, 8, 1)]
    public void Sampled_lead_sheets_have_the_requested_key_meter_and_bars_and_end_on_the_tonic(int tonic, KeyMode mode, int numerator, int denominator, int bars)
    {
        using var model = TinyModels.Random();
        var composer = new NeuralComposer(model, "tiny");
        var key = KeySignature.FromTonic(tonic, mode);
        var meter = new MeterChange(0, numerator, denominator);
        var sheet = composer.Generate(new LeadSheetSpec(key, meter, bars, 100, Seed: 4));
        Assert.Equal((key, meter, bars, 100.0), (sheet.Key, sheet.Meter, sheet.Bars, sheet.Bpm));
        Assert.Equal(tonic, sheet.Melody[^1].Pitch % 12);
        Assert.All(sheet.Melody, n => Assert.True(MelodyScale.InKey(key, n.Pitch)));
        Assert.All(sheet.Melody.Zip(sheet.Melody.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start));
        Assert.True(sheet.Melody[^1].End <= sheet.EndTick);
    }

    [Fact]
    public void The_same_seed_gives_the_same_lead_sheet_alone_or_in_a_batch()
    {
        using var model = TinyModels.Random();
        var composer = new NeuralComposer(model, "tiny");
        var spec = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 4, 120, Seed: 7);
        var alone = composer.Generate(spec);
        Assert.Equal(alone, composer.Generate(spec));
        var batch = composer.GenerateBatch([spec with { Seed = 8 }, spec, spec with { Bars = 2 }]);
        Assert.Equal(alone, batch[1]);
        Assert.NotEqual(alone.Melody, batch[0].Melody);
        Assert.Equal(2, batch[2].Bars);
    }

    [Fact]
    public void With_and_without_the_kv_cache_greedy_decoding_writes_the_same_tokens()
    {
        using var model = TinyModels.Random(context: 512);
        var spec = new LeadSheetSpec(KeySignature.FromTonic(7, KeyMode.Major), new MeterChange(0, 3, 4), 6, 120, Seed: 1) { Temperature = 0 };
        var cached = new NeuralComposer(model, "tiny").SampleTokens([spec]);
        var uncached = new NeuralComposer(model, "tiny", new SamplingOptions { UseKvCache = false }).SampleTokens([spec]);
        Assert.Equal(cached[0], uncached[0]);
    }

    [Fact]
    public void A_piece_longer_than_the_context_still_comes_out_whole()
    {
        using var model = TinyModels.Random(context: 32);
        var composer = new NeuralComposer(model, "tiny");
        var sheet = composer.Generate(new LeadSheetSpec(KeySignature.FromTonic(2, KeyMode.Minor), new MeterChange(0, 4, 4), 16, 120, Seed: 2));
        Assert.Equal(16, sheet.Bars);
        Assert.True(composer.SampleTokens([new LeadSheetSpec(KeySignature.FromTonic(2, KeyMode.Minor), new MeterChange(0, 4, 4), 16, 120, Seed: 2)])[0].Length > 32);
        Assert.Equal(2, sheet.Melody[^1].Pitch % 12);
    }

    [Fact]
    public void An_odd_meter_is_refused_with_the_reason()
    {
        using var model = TinyModels.Random();
        var error = Assert.Throws<CompositionException>(() => new NeuralComposer(model, "tiny").Generate(new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 7, 8), 4, 120, 1)));
        Assert.Contains("7/8", error.Message, StringComparison.Ordinal);
    }
}
