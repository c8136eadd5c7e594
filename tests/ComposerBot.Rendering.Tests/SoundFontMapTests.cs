using ComposerBot.Rendering.SoundFonts;
using ComposerBot.TestSupport;

namespace ComposerBot.Rendering.Tests;

/// <summary>The preset and instrument zones read back from a SoundFont our writer lays out as the specification says.</summary>
public sealed class SoundFontMapTests : IDisposable
{
    private readonly TempDirectory _work = new();

    [Fact]
    public void Finds_the_samples_a_key_and_velocity_play_with_the_global_zones_defaults()
    {
        var map = SoundFontMap.Read(Write());

        Assert.True(map.HasPreset(0, 5));
        Assert.True(map.HasPreset(128, 0));
        Assert.False(map.HasPreset(0, 6));
        Assert.Equal(["Keys", "Kit"], map.Presets.Select(p => p.Name));
        Assert.Equal(new SoundFontPresetName("Keys", 0, 5), map.Presets[0]);

        // Low keys: the first zone, its root key overridden by the global zone's 50.
        var low = Assert.Single(map.Sounding(0, 5, 40, 100));
        Assert.Equal(new SoundingSample("Keys", "low", 50, true), low);

        // High keys only below velocity 64; above, nothing sounds.
        Assert.Equal(72, Assert.Single(map.Sounding(0, 5, 70, 50)).RootKey);
        Assert.Empty(map.Sounding(0, 5, 70, 100));
        Assert.Empty(map.Sounding(0, 6, 40, 100));

        Assert.Equal((50, 72), map.SampledRange(0, 5, 50));
        Assert.Equal((50, 50), map.SampledRange(0, 5, 100));
    }

    [Fact]
    public void A_kit_hit_whose_scale_tuning_is_zero_does_not_follow_the_key_and_has_no_sampled_range()
    {
        var map = SoundFontMap.Read(Write());

        var hit = Assert.Single(map.Sounding(128, 0, 36, 100));
        Assert.False(hit.FollowsKey);
        Assert.Empty(map.Sounding(128, 0, 37, 100));
        Assert.Null(map.SampledRange(128, 0, 100));
    }

    [Fact]
    public void Refuses_a_file_that_is_not_a_soundfont()
    {
        var path = Path.Combine(_work.Path, "not.sf2");
        File.WriteAllText(path, "RIFF....WAVEfmt ");

        var error = Assert.Throws<RenderException>(() => SoundFontMap.Read(path));
        Assert.Contains("not a SoundFont", error.Message, StringComparison.Ordinal);
    }

    private string Write()
    {
        SoundFontSample Sample(string name, int root) => new(name, new short[64], 22050, root, 0, null);
        var keys = new SoundFontInstrument("Keys",
        [
            new SoundFontZone([(Generator.OverridingRootKey, 50)], null),
            new SoundFontZone([(Generator.KeyRange, SoundFontWriter.Range(0, 59))], 0),
            new SoundFontZone([(Generator.KeyRange, SoundFontWriter.Range(60, 127)), (Generator.VelocityRange, SoundFontWriter.Range(0, 63)), (Generator.OverridingRootKey, 72)], 1),
        ]);
        var kit = new SoundFontInstrument("Kit", [new SoundFontZone([(Generator.KeyRange, SoundFontWriter.Range(36, 36)), (Generator.ScaleTuning, 0)], 2)]);
        var bytes = SoundFontWriter.Write("test", [Sample("low", 48), Sample("high", 60), Sample("kick", 60)], [keys, kit],
            [new SoundFontPreset("Keys", 0, 5, 0), new SoundFontPreset("Kit", 128, 0, 1)]);
        var path = Path.Combine(_work.Path, "test.sf2");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => _work.Dispose();
}
