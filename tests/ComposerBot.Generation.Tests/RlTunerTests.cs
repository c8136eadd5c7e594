using ComposerBot.Generation.Neural.Tuning;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.Metrics;
using ComposerBot.TestSupport;

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

    [Fact]
    public void Notes_are_rewarded_where_they_earn_it_the_first_note_and_each_note_after_a_leap()
    {
        var tokenizer = new LeadSheetTokenizer();
        // D major; melody D4, A4 (a leap up a fifth), G4 (resolved: a step down), G4, D5 (a leap up), E5 (not resolved).
        var sheet = Melodies.Quarters([62, 69, 67, 67, 74, 76, 74, 72], new KeySignature(2, KeyMode.Major));
        var tokens = tokenizer.Encode(sheet, new Conditioning("reel", 120)).ToArray();
        var rewards = RlTuner.NoteRewards(tokens, tokenizer);

        Assert.Equal([(RlTuner.Rule.TonicStart, 1.0), (RlTuner.Rule.LeapResolution, 1.0), (RlTuner.Rule.LeapResolution, -1.0)], rewards.Select(r => (r.Rule, r.Reward)));
        Assert.All(rewards, r => Assert.Equal(TokenKind.Pitch, tokenizer[tokens[r.Position]].Kind));
        Assert.Equal(67, tokenizer[tokens[rewards[1].Position]].Value);
        Assert.Equal(76, tokenizer[tokens[rewards[2].Position]].Value);

        var offTonic = Melodies.Quarters([64, 66, 67, 69], new KeySignature(2, KeyMode.Major));
        Assert.Equal(-1.0, RlTuner.NoteRewards(tokenizer.Encode(offTonic, new Conditioning("reel", 120)).ToArray(), tokenizer)[0].Reward);
    }
}
