using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;
using ComposerBot.TestSupport;

namespace ComposerBot.Music.Tests;

public class DistributionComparisonTests
{
    private static List<LeadSheet> Set(int seedBase, int tonic, int count = 30) =>
        [.. Enumerable.Range(0, count).Select(i => Melodies.Quarters(Melodies.Walk(seedBase + i, 24, tonic)))];

    private static List<LeadSheet> Confined(int seedBase, int[] pitches) =>
        [.. Enumerable.Range(0, 30).Select(i =>
        {
            var random = new Random(seedBase + i);
            return Melodies.Quarters([.. Enumerable.Range(0, 24).Select(_ => pitches[random.Next(pitches.Length)])]);
        })];

    [Fact]
    public void Two_identical_sets_overlap_almost_completely()
    {
        var set = Set(0, 60).Select(s => MelodyFeatures.Compute(s)["total_pitch_class_histogram"]).ToList();
        var (oa, kl) = DistributionComparison.Compare(DistributionComparison.IntraDistances(set), DistributionComparison.InterDistances(set, set));
        Assert.True(oa > 0.9, $"OA {oa}");
        Assert.True(kl < 0.1, $"KL {kl}");
    }

    [Fact]
    public void Two_disjoint_sets_hardly_overlap()
    {
        // One set uses only C, D and E, the other only F#, G# and A#: no pitch-class histograms alike.
        var a = Confined(0, [60, 62, 64]).Select(s => MelodyFeatures.Compute(s)["total_pitch_class_histogram"]).ToList();
        var b = Confined(100, [66, 68, 70]).Select(s => MelodyFeatures.Compute(s)["total_pitch_class_histogram"]).ToList();
        var (oa, kl) = DistributionComparison.Compare(DistributionComparison.IntraDistances(a), DistributionComparison.InterDistances(b, a));
        Assert.True(oa < 0.05, $"OA {oa}");
        Assert.True(kl > 1, $"KL {kl}");
    }

    [Fact]
    public void Distances_are_euclidean_and_intra_pairs_are_distinct_pairs()
    {
        double[][] set = [[0, 0], [3, 4], [6, 8]];
        Assert.Equal([5.0, 10.0, 5.0], DistributionComparison.IntraDistances(set));
        Assert.Equal(9, DistributionComparison.InterDistances(set, set).Length);
    }

    [Fact]
    public void Features_of_a_known_melody()
    {
        var f = MelodyFeatures.Compute(Melodies.Quarters([60, 62, 64, 60, 67, 67, 60, 72]));
        Assert.Equal(5, f["total_used_pitch"][0]);
        Assert.Equal(12, f["pitch_range"][0]);
        Assert.Equal(8, f["total_used_note"][0]);
        Assert.Equal((2 + 2 + 4 + 7 + 0 + 7 + 12) / 7.0, f["avg_pitch_shift"][0], 9);
        Assert.Equal(1.0, f["avg_IOI"][0], 9);
        Assert.Equal(0.5, f["total_pitch_class_histogram"][0], 9);
        Assert.Equal(1.0, f["note_length_hist"][2], 9);
    }
}
