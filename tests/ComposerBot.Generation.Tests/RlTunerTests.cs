using ComposerBot.Composition;
using ComposerBot.Generation.Neural.Tuning;
using ComposerBot.Generation.Tokens;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;
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
        var checkpoints = new List<int>();
        var options = new TuningOptions { Steps = 3, Batch = 2, MinBars = 2, MaxBars = 3, LearningRate = 1e-3, Device = "cpu", CheckpointEvery = 1 };
        using var tuned = RlTuner.Tune(prior, options, new SyncProgress<TuningProgress>(reports.Add), (_, step) => checkpoints.Add(step));
        Assert.Equal(before, TinyModels.Weights(prior));
        Assert.NotEqual(before, TinyModels.Weights(tuned));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Step));
        Assert.Equal([1, 2], checkpoints); // the last step is the result itself
        Assert.All(reports, r => Assert.InRange(r.LeapsResolved, 0, 1));
        Assert.All(reports, r => Assert.InRange(r.ExpectedTonic, 0, 1));
    }

    [Fact]
    public void Tuning_raises_the_policys_probability_of_starting_on_the_tonic()
    {
        using var prior = TinyModels.Random(context: 512);
        var reports = new List<TuningProgress>();
        var cMajor = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 2, 120, 0) { Feel = "reel" };
        var options = new TuningOptions
        {
            Steps = 20,
            UpdatesPerBatch = 3,
            LearningRate = 5e-3,
            KlWeight = 0,
            Device = "cpu",
            Requests = (random, count) => [.. Enumerable.Range(0, count).Select(_ => cMajor with { Seed = random.Next() })],
        };
        using var tuned = RlTuner.Tune(prior, options, new SyncProgress<TuningProgress>(reports.Add));

        // A random model spreads the first note over the allowed pitches (one in four to seven is a C);
        // the exact gradient of the expected reward moves that mass onto the tonics within a few steps.
        Assert.True(reports[0].ExpectedTonic < 0.5, $"step 1: {reports[0].ExpectedTonic:0.00}");
        Assert.True(reports[^1].ExpectedTonic > 0.8, string.Join(" ", reports.Select(r => $"{r.ExpectedTonic:0.00}/{r.ExpectedResolution:0.00}")));
    }

    [Fact]
    public void The_rules_apply_to_the_first_note_and_each_note_after_a_leap_with_the_pitches_that_obey()
    {
        var tokenizer = new LeadSheetTokenizer();
        var dMajor = new KeySignature(2, KeyMode.Major);
        var spec = new LeadSheetSpec(dMajor, new MeterChange(0, 4, 4), 2, 120, 1) { Feel = "reel" };

        // D4, A4 (a leap up a fifth), G4 (resolved: a step down), G4, D5 (a leap up), E5 (not resolved), D5, D4.
        var sheet = Melodies.Quarters([62, 69, 67, 67, 74, 76, 74, 62], dMajor);
        var tokens = tokenizer.Encode(sheet, new Conditioning("reel", 120)).ToArray();
        var ruled = RlTuner.RuledNotes(tokens, spec, tokenizer);

        Assert.Equal([(RlTuner.Rule.TonicStart, 1.0), (RlTuner.Rule.LeapResolution, 1.0), (RlTuner.Rule.LeapResolution, -1.0)], ruled.Select(r => (r.Rule, r.RewardOf(tokens))));
        Assert.All(ruled, r => Assert.Contains(tokens[r.Position], r.Allowed));
        int[] Pitches(IEnumerable<int> ids) => [.. ids.Select(id => tokenizer[id].Value).Order()];
        Assert.Equal([50, 62, 74, 86], Pitches(ruled[0].Good)); // every D the grammar allows (48-88)
        Assert.Equal([67], Pitches(ruled[1].Good)); // a step down from A4 in D major: G4 (G#4 is not in key)
        Assert.Equal([73], Pitches(ruled[2].Good)); // a step down from D5: C#5
        Assert.DoesNotContain(Pitches(ruled[0].Allowed), p => !MelodyScale.InKey(dMajor, p));
        Assert.Null(ruled[0].Leap);
        Assert.Equal([69, 74], ruled.Skip(1).Select(r => tokenizer[tokens[r.Leap!.Value]].Value)); // the notes that leapt

        var offTonic = Melodies.Quarters([64, 66, 67, 69, 71, 69, 66, 62], dMajor);
        var offTokens = tokenizer.Encode(offTonic, new Conditioning("reel", 120)).ToArray();
        Assert.Equal(-1.0, RlTuner.RuledNotes(offTokens, spec, tokenizer)[0].RewardOf(offTokens));
    }
}
