using ComposerBot.Composition;
using ComposerBot.Generation.Neural;
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
        var reports = TuneOnCMajor(RlTuner.LeapRules);

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

    [Fact]
    public void The_whole_reward_rules_bars_endings_intervals_and_runs_of_leaps()
    {
        var tokenizer = new LeadSheetTokenizer();
        var cMajor = new KeySignature(0, KeyMode.Major);
        var spec = new LeadSheetSpec(cMajor, new MeterChange(0, 4, 4), 3, 120, 1) { Feel = "reel" };
        (IReadOnlyList<RuledNote> Ruled, int[] Tokens, List<int> Positions) Rule(int[] pitches)
        {
            var tokens = tokenizer.Encode(Melodies.Quarters(pitches, cMajor), new Conditioning("reel", 120)).ToArray();
            var positions = Enumerable.Range(0, tokens.Length).Where(i => i >= 8 && tokenizer[tokens[i]].Kind == TokenKind.Pitch).ToList();
            return (RlTuner.RuledNotes(tokens, spec, tokenizer, RlTuner.WholeReward), tokens, positions);
        }

        double? At((IReadOnlyList<RuledNote> Ruled, int[] Tokens, List<int> Positions) m, int note, RlTuner.Rule rule) =>
            m.Ruled.SingleOrDefault(r => r.Position == m.Positions[note] && r.Rule == rule)?.RewardOf(m.Tokens);

        // C D E C | F G A F (bar 1 again, a fourth up) | G G B C.
        var form = Rule([60, 62, 64, 60, 65, 67, 69, 65, 67, 67, 71, 72]);
        Assert.Equal(1.0, At(form, 0, RlTuner.Rule.TonicStart));
        Assert.Equal(1.0, At(form, 7, RlTuner.Rule.RepeatedMotif));
        Assert.Equal([65], form.Ruled.Single(r => r.Rule == RlTuner.Rule.RepeatedMotif).Good.Select(id => tokenizer[id].Value));
        Assert.Equal(1.0, At(form, 11, RlTuner.Rule.Motif)); // G, G, B: any third pitch but those makes a motif
        Assert.Equal(1.0, At(form, 11, RlTuner.Rule.TonicEnd));
        Assert.Equal(11, form.Ruled.Count(r => r.Rule == RlTuner.Rule.HarmoniousInterval));
        Assert.All(form.Ruled, r => Assert.Equal(1.0, r.RewardOf(form.Tokens)));
        Assert.DoesNotContain(form.Ruled, r => r.Rule is RlTuner.Rule.LeapResolution or RlTuner.Rule.NoLeapRun or RlTuner.Rule.LowAutocorrelation or RlTuner.Rule.Structure);

        // C C C C | G D A B (three leaps up, then a seventh down) | C D C C.
        var leaps = Rule([60, 60, 60, 60, 67, 74, 81, 71, 72, 74, 72, 60]);
        Assert.DoesNotContain(leaps.Ruled, r => r.Rule == RlTuner.Rule.NoExcessiveRepeat); // the grammar already forbids a fifth C
        Assert.Equal(-1.0, At(leaps, 5, RlTuner.Rule.LeapResolution));
        Assert.Null(At(leaps, 5, RlTuner.Rule.NoLeapRun)); // one leap before it
        Assert.Equal(-1.0, At(leaps, 6, RlTuner.Rule.NoLeapRun));
        Assert.Equal(-1.0, At(leaps, 7, RlTuner.Rule.NoLeapRun));
        Assert.Equal(-1.0, At(leaps, 7, RlTuner.Rule.HarmoniousInterval)); // a minor seventh down
        Assert.Equal(1.0, At(leaps, 8, RlTuner.Rule.LeapResolution));
        Assert.Equal(1.0, At(leaps, 8, RlTuner.Rule.NoLeapRun));
        Assert.Equal(1.0, At(leaps, 11, RlTuner.Rule.HarmoniousInterval)); // an octave down
        Assert.Null(At(leaps, 7, RlTuner.Rule.RepeatedMotif)); // C C C C is no motif to repeat
    }

    [Theory]
    [InlineData(6, false)]
    [InlineData(-10, false)]
    [InlineData(11, false)]
    [InlineData(13, false)]
    [InlineData(12, true)]
    [InlineData(-7, true)]
    [InlineData(0, true)]
    [InlineData(9, true)]
    public void Harmonious_intervals_leave_out_the_tritone_sevenths_and_more_than_an_octave(int interval, bool harmonious) =>
        Assert.Equal(harmonious, RlTuner.Harmonious(interval));

    [Fact]
    public void The_whole_melody_reward_is_minus_the_autocorrelation_and_the_distance_from_the_structure_target()
    {
        var counts = new TheoryCounts(20, 0, 0, true, 0, 0, false, false, 12, 10, [0.3, -0.6, 0.0]);
        Assert.Equal(-0.3, RlTuner.MelodyReward(counts, new HashSet<RlTuner.Rule> { RlTuner.Rule.LowAutocorrelation }, null), 9);
        Assert.Equal(-0.2, RlTuner.MelodyReward(counts, new HashSet<RlTuner.Rule> { RlTuner.Rule.Structure }, 0.7), 9);
        Assert.Equal(-0.5, RlTuner.MelodyReward(counts, RlTuner.WholeReward, 0.7), 9);
        Assert.Equal(0.0, RlTuner.MelodyReward(counts, RlTuner.LeapRules, null), 9);
        Assert.Throws<ArgumentException>(() => RlTuner.MelodyReward(counts, RlTuner.WholeReward, null));
    }

    [Fact]
    public void Tuning_with_the_whole_reward_needs_a_structure_target_and_reports_every_rule_it_met()
    {
        using var prior = TinyModels.Random(context: 512);
        var options = new TuningOptions { Steps = 2, Batch = 3, MinBars = 2, MaxBars = 3, LearningRate = 1e-3, Device = "cpu", Rules = RlTuner.WholeReward };
        Assert.Throws<ArgumentException>(() => RlTuner.Tune(prior, options));

        var reports = new List<TuningProgress>();
        using var tuned = RlTuner.Tune(prior, options with { StructureTarget = 0.7 }, new SyncProgress<TuningProgress>(reports.Add));
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.InRange(r.SequenceReward, -2.5, 0));
        Assert.All(reports, r => Assert.Contains(RlTuner.Rule.HarmoniousInterval, r.Obedience.Keys));
        Assert.All(reports.SelectMany(r => r.Obedience.Values), p => Assert.InRange(p, 0, 1));
        using var leapsOnly = RlTuner.Tune(prior, options with { Steps = 1, Rules = RlTuner.LeapRules }, new SyncProgress<TuningProgress>(reports.Add));
        Assert.True(double.IsNaN(reports[^1].SequenceReward)); // no whole-melody term rewarded
    }

    [Fact]
    public void Tuning_while_the_garbage_collector_runs_all_the_time_reaches_the_same_policy()
    {
        // The rewards' arithmetic and the optimiser hand libtorch numbers that nothing else holds: a collection
        // on another thread would free them while libtorch reads them.
        using var prior = TinyModels.Random(context: 512);
        var options = new TuningOptions { Steps = 20, UpdatesPerBatch = 10, Batch = 2, MinBars = 2, MaxBars = 2, LearningRate = 1e-3, Device = "cpu", Rules = RlTuner.WholeReward, StructureTarget = 0.7 };
        using var calm = RlTuner.Tune(prior, options);
        MusicTransformer stormy;
        using (new CollectorStorm())
        {
            stormy = RlTuner.Tune(prior, options);
        }

        using (stormy)
        {
            Assert.Equal(TinyModels.Weights(calm), TinyModels.Weights(stormy));
        }
    }

    [Fact]
    public void Tuning_raises_the_policys_probability_of_harmonious_intervals()
    {
        var reports = TuneOnCMajor(new HashSet<RlTuner.Rule> { RlTuner.Rule.HarmoniousInterval });
        double P(TuningProgress r) => r.Obedience[RlTuner.Rule.HarmoniousInterval];
        Assert.True(P(reports[^1]) > P(reports[0]) + 0.2, string.Join(" ", reports.Select(r => $"{P(r):0.00}")));
        Assert.True(P(reports[^1]) > 0.8, string.Join(" ", reports.Select(r => $"{P(r):0.00}")));
    }

    /// <summary>Twenty steps of a random model on 2-bar C major reels with a high learning rate and no KL: the rules' pull alone.</summary>
    private static List<TuningProgress> TuneOnCMajor(IReadOnlySet<RlTuner.Rule> rules)
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
            Rules = rules,
            Requests = (random, count) => [.. Enumerable.Range(0, count).Select(_ => cMajor with { Seed = random.Next() })],
        };
        using var tuned = RlTuner.Tune(prior, options, new SyncProgress<TuningProgress>(reports.Add));
        return reports;
    }
}
