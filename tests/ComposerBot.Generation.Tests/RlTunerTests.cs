using ComposerBot.Generation.Neural.Tuning;
using ComposerBot.Music.Metrics;

namespace ComposerBot.Generation.Tests;

[Collection(SerialTorch.Name)]
public class RlTunerTests
{
    [Fact]
    public void The_reward_pays_for_resolved_leaps_a_tonic_start_and_motifs()
    {
        static TheoryCounts Counts(int leaps, int resolved, bool tonic, int inMotif) => new(20, 0, 0, tonic, leaps, resolved, false, false, inMotif, 0, []);
        Assert.Equal(2 + 1 + 0.5, RlTuner.Reward(Counts(4, 4, true, 20)), 9);
        Assert.Equal(-2 - 1 + 0, RlTuner.Reward(Counts(4, 0, false, 0)), 9);
        Assert.Equal(0 + 1 + 0.25, RlTuner.Reward(Counts(2, 1, true, 10)), 9);
        Assert.Equal(2 - 1, RlTuner.Reward(Counts(0, 0, false, 0)), 9); // no leaps: nothing left unresolved
    }

    [Fact]
    public void Tuning_moves_a_copy_of_the_prior_and_reports_each_step()
    {
        using var prior = TinyModels.Random(context: 512);
        var before = TinyModels.Weights(prior);
        var reports = new List<TuningProgress>();
        using var tuned = RlTuner.Tune(prior, new TuningOptions { Steps = 3, Batch = 2, MinBars = 2, MaxBars = 3, LearningRate = 1e-3, Device = "cpu" }, new SyncProgress<TuningProgress>(reports.Add));
        Assert.Equal(before, TinyModels.Weights(prior));
        Assert.NotEqual(before, TinyModels.Weights(tuned));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.InRange(r.LeapsResolved, 0, 1));
    }
}
