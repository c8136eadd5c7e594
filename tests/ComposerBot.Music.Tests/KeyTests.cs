namespace ComposerBot.Music.Tests;

public class KeyTests
{
    [Theory]
    [InlineData(0, KeyMode.Major, "C major", 0)]
    [InlineData(-1, KeyMode.Minor, "D minor", 2)]
    [InlineData(-2, KeyMode.Major, "Bb major", 10)]
    [InlineData(3, KeyMode.Minor, "F# minor", 6)]
    [InlineData(6, KeyMode.Major, "F# major", 6)]
    [InlineData(-7, KeyMode.Major, "Cb major", 11)]
    public void Key_signatures_name_their_key(int sharps, KeyMode mode, string name, int tonic)
    {
        var key = new KeySignature(sharps, mode);
        Assert.Equal(name, key.Name);
        Assert.Equal(tonic, key.Tonic);
    }

    [Theory]
    [InlineData(2, KeyMode.Minor, -1)]
    [InlineData(10, KeyMode.Major, -2)]
    [InlineData(7, KeyMode.Major, 1)]
    [InlineData(6, KeyMode.Minor, 3)]
    public void From_tonic_spells_with_the_fewest_accidentals(int tonic, KeyMode mode, int sharps) =>
        Assert.Equal(new KeySignature(sharps, mode), KeySignature.FromTonic(tonic, mode));

    [Fact]
    public void A_c_major_scale_is_entirely_in_c_major_and_not_in_d_major()
    {
        int[] scale = [60, 62, 64, 65, 67, 69, 71, 72];
        var cMajor = new KeySignature(0, KeyMode.Major);
        Assert.All(scale, p => Assert.True(cMajor.Contains(p)));
        // D major has F# and C#: the scale's F and both Cs are outside it.
        Assert.Equal(3, scale.Count(p => !new KeySignature(2, KeyMode.Major).Contains(p)));
    }

    [Fact]
    public void The_estimator_finds_c_major_in_a_c_major_scale()
    {
        var notes = new[] { 60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60 }.Select((p, i) => new Note(p, i * 480, 480, 90));
        Assert.Equal(new KeySignature(0, KeyMode.Major), KeyEstimator.Estimate(notes));
    }

    [Fact]
    public void The_estimator_finds_a_minor_in_an_a_minor_melody()
    {
        var notes = new[] { 57, 60, 64, 69, 68, 69, 71, 72, 71, 69, 64, 57 }.Select((p, i) => new Note(p, i * 480, i % 3 == 0 ? 960 : 480, 90));
        Assert.Equal(new KeySignature(0, KeyMode.Minor), KeyEstimator.Estimate(notes));
    }

    [Fact]
    public void No_notes_give_no_key() => Assert.Null(KeyEstimator.Estimate([]));
}
