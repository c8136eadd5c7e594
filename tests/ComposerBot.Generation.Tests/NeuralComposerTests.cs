using ComposerBot.Composition;
using ComposerBot.Composition.Requests;
using ComposerBot.Generation.Neural;
using ComposerBot.Music;
using ComposerBot.Music.Forms;
using ComposerBot.Music.LeadSheets;
using ComposerBot.Music.Metrics;

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
        var composer = new NeuralComposer(model, "tiny", new SamplingOptions { ChromaticShare = 0 });
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

    private static BarForm Form(int[] sources, BarRelation relation) =>
        new(sources.ToValueList(), sources.Select(s => s < 0 ? BarRelation.New : relation).ToValueList(), sources.Select(_ => 0).ToValueList());

    [Fact]
    public void A_form_s_restated_bars_come_out_as_copies_of_their_source()
    {
        using var model = TinyModels.Random();
        var composer = new NeuralComposer(model, "tiny");
        var exact = 0;
        for (var seed = 1; seed <= 8; seed++)
        {
            var spec = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 6, 120, seed) { Form = Form([-1, -1, 0, 1, -1, -1], BarRelation.Exact) };
            var bars = MelodyStructure.Bars(composer.Generate(spec));
            exact += MelodyStructure.Relate(bars[2], bars[0]).Relation == BarRelation.Exact && MelodyStructure.Relate(bars[3], bars[1]).Relation == BarRelation.Exact ? 1 : 0;
        }

        // A copy gives way only where the grammar forbids a copied token (a fifth equal note in a row).
        Assert.True(exact >= 6, $"{exact} of 8 pieces restated both bars exactly");
    }

    [Fact]
    public void A_copied_pitch_the_grammar_refuses_is_the_model_s_own_and_the_copy_keeps_its_rhythm()
    {
        // A semitone up takes most of a C major bar out of the key, where no note may go: those notes are the
        // model's, the copy goes on, so the restated bar keeps its source's onsets (before, it gave way).
        using var model = TinyModels.Random();
        var composer = new NeuralComposer(model, "tiny", new SamplingOptions { ChromaticShare = 0 });
        BarRelation[] relations = [BarRelation.New, BarRelation.Transposed, BarRelation.New, BarRelation.New];
        var form = new BarForm(ValueList.From([-1, 0, -1, -1]), relations.ToValueList(), ValueList.From([0, 1, 0, 0]));
        var refused = 0;
        for (var seed = 1; seed <= 6; seed++)
        {
            var spec = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 4, 120, seed) { Form = form, ChromaticChords = true };
            var bars = MelodyStructure.Bars(composer.Generate(spec));
            Assert.Equal(bars[0].Notes.Select(n => n.Onset), bars[1].Notes.Select(n => n.Onset));
            Assert.All(bars[1].Notes, n => Assert.True(MelodyScale.InKey(spec.Key, n.Pitch)));
            refused += bars[0].Notes.Count(n => !MelodyScale.InKey(spec.Key, n.Pitch + 1));
        }

        Assert.True(refused > 0);
    }

    [Fact]
    public void Without_a_form_an_untrained_model_rarely_repeats_a_bar()
    {
        using var model = TinyModels.Random();
        var composer = new NeuralComposer(model, "tiny");
        var repeats = Enumerable.Range(1, 8).Count(seed =>
        {
            var bars = MelodyStructure.Bars(composer.Generate(new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 6, 120, seed)));
            return MelodyStructure.Relate(bars[2], bars[0]).Relation == BarRelation.Exact;
        });
        Assert.True(repeats <= 2, $"{repeats} of 8");
    }

    [Fact]
    public void A_variation_keeps_its_source_s_rhythm_and_first_notes()
    {
        using var model = TinyModels.Random();
        var composer = new NeuralComposer(model, "tiny");
        for (var seed = 1; seed <= 4; seed++)
        {
            var spec = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 4, 120, seed) { Form = Form([-1, 0, -1, -1], BarRelation.Variation) };
            var bars = MelodyStructure.Bars(composer.Generate(spec));
            var (source, copy) = (bars[0].Notes, bars[1].Notes);
            if (copy.Count != source.Count)
            {
                continue; // the copy gave way to the grammar
            }

            Assert.Equal(source.Select(n => n.Onset), copy.Select(n => n.Onset));
            var kept = (int)Math.Floor(MelodyStructure.VariationThreshold * source.Count);
            Assert.Equal(source.Take(kept).Select(n => n.Pitch), copy.Take(kept).Select(n => n.Pitch));
        }
    }

    [Fact]
    public void Following_a_form_keeps_every_guarantee_of_the_grammar()
    {
        using var model = TinyModels.Random();
        var forms = FormLibrary.Build([("reel", Melodies(new[] { 60, 62, 64, 65, 60, 62, 64, 65, 67, 69, 71, 72, 67, 69, 71, 60 }))]);
        var composer = new NeuralComposer(model, "tiny", new SamplingOptions { ChromaticShare = 0 }, forms);
        var key = KeySignature.FromTonic(7, KeyMode.Major);
        foreach (var seed in new[] { 3, 4, 5 })
        {
            var sheet = composer.Generate(new LeadSheetSpec(key, new MeterChange(0, 4, 4), 9, 120, seed) { Feel = "reel" });
            Assert.Equal(9, sheet.Bars);
            Assert.Equal(7, sheet.Melody[^1].Pitch % 12);
            Assert.All(sheet.Melody, n => Assert.True(MelodyScale.InKey(key, n.Pitch)));
            Assert.True(sheet.Melody[^1].End <= sheet.EndTick);
            Assert.Equal(composer.FormFor(new LeadSheetSpec(key, new MeterChange(0, 4, 4), 9, 120, seed) { Feel = "reel" }), forms.Pick(4, 4, 9, "reel", seed));
        }

        static LeadSheet Melodies(int[] pitches) => TestSupport.Melodies.Quarters(pitches);
    }

    [Fact]
    public void Out_of_key_notes_stay_within_their_share()
    {
        using var model = TinyModels.Random();
        var composer = new NeuralComposer(model, "tiny", new SamplingOptions { ChromaticShare = 0.1 });
        var key = new KeySignature(0, KeyMode.Major);
        var outside = 0;
        foreach (var seed in Enumerable.Range(1, 6))
        {
            var melody = composer.Generate(new LeadSheetSpec(key, new MeterChange(0, 4, 4), 8, 120, seed)).Melody;
            var chromatic = melody.Count(n => !MelodyScale.InKey(key, n.Pitch));
            Assert.True(chromatic <= 0.1 * melody.Count, $"{chromatic} of {melody.Count}");
            outside += chromatic;
        }

        Assert.True(outside > 0, "an untrained model given the budget never left the key");
    }

    [Fact]
    public void The_recurrence_penalty_steers_the_melody_away_from_the_pitch_classes_it_just_played()
    {
        using var model = TinyModels.Random();
        var key = new KeySignature(0, KeyMode.Major);
        int Recurrences(double penalty)
        {
            var composer = new NeuralComposer(model, "tiny", new SamplingOptions { RecurrencePenalty = penalty, RecurrenceWindow = 3, ChromaticShare = 0 });
            var recurrences = 0;
            foreach (var seed in Enumerable.Range(1, 4))
            {
                var pitches = composer.Generate(new LeadSheetSpec(key, new MeterChange(0, 4, 4), 8, 120, seed)).Melody.Select(n => n.Pitch % 12).ToList();
                // The last note is the tonic whatever came before: the grammar's, not the penalty's.
                recurrences += Enumerable.Range(1, pitches.Count - 2).Count(i => pitches.Skip(Math.Max(0, i - 3)).Take(Math.Min(3, i)).Contains(pitches[i]));
            }

            return recurrences;
        }

        Assert.True(Recurrences(0) > 10, "an untrained model without the penalty should come back to recent pitch classes");
        Assert.Equal(0, Recurrences(100));
    }

    [Fact]
    public void Pitches_and_the_other_tokens_each_have_their_own_nucleus()
    {
        using var model = TinyModels.Random();
        var spec = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 4, 120, Seed: 1);
        IReadOnlyList<LeadSheet> Sheets(double pitchP, double otherP) =>
            new NeuralComposer(model, "tiny", new SamplingOptions { TopP = pitchP, OtherTopP = otherP, RecurrencePenalty = 0, ChromaticShare = 0 }).GenerateBatch([spec, spec with { Seed = 2 }]);

        // A nucleus this small holds only the most likely token: both seeds then write the same sheet.
        var greedy = Sheets(1e-9, 1e-9);
        Assert.Equal(greedy[0], greedy[1]);
        var freeRhythm = Sheets(1e-9, 1.0);
        Assert.NotEqual(freeRhythm[0].Melody.Select(n => (n.Start, n.Duration)), freeRhythm[1].Melody.Select(n => (n.Start, n.Duration)));
        var freePitches = Sheets(1.0, 1e-9);
        Assert.NotEqual(freePitches[0].Melody.Select(n => n.Pitch), freePitches[1].Melody.Select(n => n.Pitch));
    }

    [Fact]
    public void A_calibration_steers_the_step_sizes_and_the_note_lengths()
    {
        using var model = TinyModels.Random();
        var key = new KeySignature(0, KeyMode.Major);
        var specs = Enumerable.Range(1, 4).Select(seed => new LeadSheetSpec(key, new MeterChange(0, 4, 4), 8, 120, seed)).ToList();
        var tokenizer = new Tokens.LeadSheetTokenizer();
        (double Leaps, double Eighths) Shares(SamplingCalibration? calibration)
        {
            var composer = new NeuralComposer(model, "tiny", new SamplingOptions { RecurrencePenalty = 0, ChromaticShare = 0, Calibration = calibration });
            var sheets = composer.GenerateBatch(specs);
            // The last note is the tonic whatever came before: the grammar's, not the calibration's.
            var steps = sheets.SelectMany(s => s.Melody.Zip(s.Melody.Skip(1)).SkipLast(1)).ToList();
            // The lengths the model wrote (a note may be cut short where the next one starts earlier).
            var lengths = composer.SampleTokens(specs).SelectMany(t => t).Select(id => tokenizer[id]).Where(t => t.Kind == Tokens.TokenKind.Duration).ToList();
            return ((double)steps.Count(p => Math.Abs(p.Second.Pitch - p.First.Pitch) > 2) / steps.Count, (double)lengths.Count(t => t.Value == 6) / lengths.Count);
        }

        var intervals = new double[SamplingCalibration.IntervalBins];
        Array.Fill(intervals, -50, 3, intervals.Length - 3);
        var durations = new double[SamplingCalibration.DurationBins];
        durations[6] = 50;
        var steered = new SamplingCalibration(SamplingCalibration.CurrentFormat, "tiny", intervals, durations, new CalibrationFit("valid", 0, 0, 0, 0, 0, 0, 0, default));

        var (leaps, eighths) = Shares(null);
        Assert.True(leaps > 0.3, $"an untrained model should step more than a tone often ({leaps:P0})");
        Assert.True(eighths < 0.5, $"an untrained model should not write mostly eighths ({eighths:P0})");
        var (steeredLeaps, steeredEighths) = Shares(steered);
        Assert.Equal(0, steeredLeaps);
        Assert.True(steeredEighths > 0.8, $"the calibration favours eighth notes ({steeredEighths:P0})");
    }

    [Fact]
    public void A_calibration_with_sixteenth_shares_lets_a_seed_decide_whether_its_melody_has_sixteenths()
    {
        using var model = TinyModels.Random();
        var key = new KeySignature(0, KeyMode.Major);
        var specs = Enumerable.Range(1, 6).Select(seed => new LeadSheetSpec(key, new MeterChange(0, 4, 4), 8, 120, seed) { Feel = "reel" }).ToList();
        SamplingCalibration Calibration(double share) => new(SamplingCalibration.CurrentFormat, "tiny", new double[SamplingCalibration.IntervalBins], new double[SamplingCalibration.DurationBins],
            new CalibrationFit("valid", 0, 0, 0, 0, 0, 0, 0, default), new Dictionary<string, double> { [SamplingCalibration.AnyFeel] = share });
        IReadOnlyList<LeadSheet> Melodies(SamplingCalibration? calibration) =>
            new NeuralComposer(model, "tiny", new SamplingOptions { RecurrencePenalty = 0, ChromaticShare = 0, Calibration = calibration }).GenerateBatch(specs);

        // An untrained model scatters short notes everywhere; with no tune of its feel allowed any, none has them
        // before the last bar (where a melody may need short notes to reach its tonic in time).
        Assert.True(Melodies(null).Count(SamplingCalibration.HasSixteenths) >= 4, "an untrained model should write sixteenths");
        var plain = Melodies(Calibration(0));
        Assert.All(plain, sheet => Assert.DoesNotContain(sheet.Melody, n => n.Start < 7 * sheet.TicksPerBar && n.Duration < LeadSheet.Resolution / 3));
        Assert.Equal(Melodies(null).Select(SamplingCalibration.HasSixteenths), Melodies(Calibration(1)).Select(SamplingCalibration.HasSixteenths));

        // The draw is the seed's: the same seed decides the same way every time, and a share sorts the seeds.
        var half = Calibration(0.5);
        Assert.Equal(specs.Select(s => half.ShortestSteps(s.Seed, "reel")), specs.Select(s => half.ShortestSteps(s.Seed, "reel")));
        var shares = Enumerable.Range(0, 1000).Select(seed => half.ShortestSteps(seed, "jig")).ToList();
        Assert.InRange(shares.Count(steps => steps == 0), 430, 570);
        Assert.All(shares, steps => Assert.Contains(steps, new[] { 0, SamplingCalibration.PlainShortestSteps }));
    }

    [Fact]
    public void A_settled_ending_plays_only_the_tonic_from_the_middle_of_the_last_bar()
    {
        using var model = TinyModels.Random();
        var key = new KeySignature(2, KeyMode.Minor);
        var specs = Enumerable.Range(1, 8).Select(seed => new LeadSheetSpec(key, new MeterChange(0, 4, 4), 4, 120, seed)).ToList();
        IEnumerable<Note> LateInLastBar(bool settled) =>
            new NeuralComposer(model, "tiny", new SamplingOptions { RecurrencePenalty = 0, ChromaticShare = 0, SettledEnding = settled }).GenerateBatch(specs)
                .SelectMany(sheet => sheet.Melody.Where(n => n.Start >= (3.5 * sheet.TicksPerBar)));

        Assert.Contains(LateInLastBar(false), n => n.Pitch % 12 != key.Tonic);
        var settled = LateInLastBar(true).ToList();
        Assert.NotEmpty(settled);
        Assert.All(settled, n => Assert.Equal(key.Tonic, n.Pitch % 12));
    }

    [Fact]
    public void With_a_critic_it_keeps_the_most_human_of_its_candidates_stops_at_one_it_accepts_and_the_same_seed_still_gives_the_same_sheet()
    {
        using var model = TinyModels.Random();
        var spec = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), 4, 120, Seed: 11);
        var plain = new NeuralComposer(model, "tiny");
        var alone = Enumerable.Range(0, 4).Select(c => plain.Generate(NeuralComposer.Candidate(spec, c))).ToList();
        Assert.Equal(plain.Generate(spec), alone[0]); // the first candidate is the spec's own melody

        // A critic that finds fewer distinct pitches more human, and one that finds more: each keeps its own pick.
        Assert.True(alone.Select(s => s.Melody.Select(n => n.Pitch).Distinct().Count()).Distinct().Count() > 1, "the candidates should differ in their pitches");
        foreach (var sign in new[] { 1.0, -1.0 })
        {
            var critic = Critic(PieceFeatures.Names.Select(n => n == "used_pitches" ? sign : 0.0));
            var chosen = new NeuralComposer(model, "tiny", new SamplingOptions { Critic = critic, Candidates = 4 });
            var expected = alone.MinBy(critic.Score)!;
            Assert.Equal(expected, chosen.Generate(spec));
            Assert.Equal(expected, chosen.GenerateBatch([spec with { Seed = 12 }, spec])[1]);
        }

        var one = new NeuralComposer(model, "tiny", new SamplingOptions { Critic = Critic(PieceFeatures.Names.Select(_ => 1.0)), Candidates = 1 });
        Assert.Equal(alone[0], one.Generate(spec)); // one candidate: no choice

        // A melody the critic accepts ends the search: the first candidate when it accepts every one; where it
        // accepts only those with at most the fewest distinct pitches of the four, the first of them.
        var byPitches = PieceFeatures.Names.Select(n => n == "used_pitches" ? 1.0 : 0.0).ToList();
        var easy = new NeuralComposer(model, "tiny", new SamplingOptions { Critic = Critic(byPitches, acceptBelow: 1e9), Candidates = 4 });
        Assert.Equal(alone[0], easy.Generate(spec));
        var fewest = alone.Min(Critic(byPitches).Score);
        var strict = new NeuralComposer(model, "tiny", new SamplingOptions { Critic = Critic(byPitches, acceptBelow: fewest + 0.5), Candidates = 4 });
        Assert.Equal(alone.First(s => Critic(byPitches).Score(s) == fewest), strict.Generate(spec));

        // A feel with its own line is held to it; any other feel to the pooled one.
        var byFeel = new NeuralComposer(model, "tiny", new SamplingOptions { Critic = Critic(byPitches) with { AcceptBelowByFeel = new Dictionary<string, double> { ["reel"] = 1e9 } }, Candidates = 4 });
        var reel = spec with { Feel = "reel" };
        Assert.Equal(plain.Generate(reel), byFeel.Generate(reel));
        var jig = spec with { Feel = "jig" };
        Assert.Equal(Enumerable.Range(0, 4).Select(c => plain.Generate(NeuralComposer.Candidate(jig, c))).MinBy(Critic(byPitches).Score), byFeel.Generate(jig));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Candidates_sampled_at_once_give_the_very_sheets_sampled_one_after_another(int concurrent)
    {
        using var model = TinyModels.Random();
        // Long enough to be sampled at once (shorter melodies are sampled one candidate at a time).
        var specs = Enumerable.Range(20, 6).Select(seed => new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), NeuralComposer.ConcurrentFromBars, 120, seed)).ToList();
        var byPitches = PieceFeatures.Names.Select(n => n == "used_pitches" ? 1.0 : 0.0).ToList();
        var plain = new NeuralComposer(model, "tiny");
        var pitchCounts = specs.SelectMany(spec => Enumerable.Range(0, 4).Select(c => Critic(byPitches).Score(plain.Generate(NeuralComposer.Candidate(spec, c))))).Order().ToList();

        // Lines that accept about a quarter, half and three quarters of the candidates: requests stop in every round.
        foreach (var line in new[] { pitchCounts[pitchCounts.Count / 4], pitchCounts[pitchCounts.Count / 2], pitchCounts[pitchCounts.Count * 3 / 4] })
        {
            var critic = Critic(byPitches, acceptBelow: line + 0.5);
            var sequential = new NeuralComposer(model, "tiny", new SamplingOptions { Critic = critic, Candidates = 4 });
            var atOnce = new NeuralComposer(model, "tiny", new SamplingOptions { Critic = critic, Candidates = 4, ConcurrentCandidates = concurrent });
            Assert.Equal(sequential.GenerateBatch(specs), atOnce.GenerateBatch(specs));
            Assert.Equal(specs.Select(s => sequential.Generate(s)), specs.Select(s => atOnce.Generate(s)));
            Assert.Equal(sequential.SamplingId, atOnce.SamplingId); // the same sheets: receipts name the same sampling
        }
    }

    [Fact]
    public void A_cancelled_request_stops_its_candidates_sampled_at_once_with_a_plain_cancellation()
    {
        using var model = TinyModels.Random();
        var spec = new LeadSheetSpec(new KeySignature(0, KeyMode.Major), new MeterChange(0, 4, 4), NeuralComposer.ConcurrentFromBars, 120, Seed: 5);
        var never = Critic(PieceFeatures.Names.Select(n => n == "used_pitches" ? 1.0 : 0.0)); // accepts none: every round runs
        var atOnce = new NeuralComposer(model, "tiny", new SamplingOptions { Critic = never, Candidates = 4, ConcurrentCandidates = 2 });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // What callers catch, not the AggregateException of the threads.
        var stopped = Record.Exception(() => atOnce.Generate(spec, cancelled.Token));
        Assert.IsAssignableFrom<OperationCanceledException>(stopped);
    }

    [Fact]
    public void The_sampling_id_names_the_critic_and_its_candidates_for_receipts()
    {
        using var model = TinyModels.Random();
        var critic = Critic(PieceFeatures.Names.Select(_ => 1.0));
        string? Id(SamplingOptions? options) => new NeuralComposer(model, "tiny", options).SamplingId;
        Assert.Null(Id(null));
        Assert.Null(Id(new SamplingOptions { Critic = critic, Candidates = 1 })); // one candidate: the critic chooses nothing
        var four = Id(new SamplingOptions { Critic = critic });
        Assert.Matches("^[0-9a-f]{64}$", four);
        Assert.Equal(four, Id(new SamplingOptions { Critic = critic with { } }));
        Assert.NotEqual(four, Id(new SamplingOptions { Critic = critic, Candidates = 3 }));
        Assert.NotEqual(four, Id(new SamplingOptions { Critic = critic with { AcceptBelow = 1 } }));
    }

    [Fact]
    public void A_critic_file_loads_for_its_own_weights_only_and_a_foreign_one_is_refused()
    {
        using var directory = new ComposerBot.TestSupport.TempDirectory();
        var path = directory.File(MelodyCritic.FileName);
        var critic = Critic(PieceFeatures.Names.Select((_, i) => i * 0.1)) with { ModelSha256 = "abc" };
        critic.Save(path);
        var loaded = MelodyCritic.LoadFor(path, "ABC");
        Assert.NotNull(loaded);
        Assert.Equal(critic.Weights, loaded.Weights);
        Assert.Null(MelodyCritic.LoadFor(path, "other"));
        Assert.Null(MelodyCritic.LoadFor(directory.File("none.json"), "abc"));

        (critic with { Features = [.. PieceFeatures.Names.Reverse()] }).Save(path);
        Assert.Contains("other melody features", Assert.Throws<ModelLoadException>(() => MelodyCritic.LoadFor(path, "abc")).Message);
        (critic with { Weights = [1, 2] }).Save(path);
        Assert.Throws<ModelLoadException>(() => MelodyCritic.LoadFor(path, "abc"));
        critic.Save(path);
        var valid = File.ReadAllText(path);
        Assert.Contains("\"accept_below_by_feel\": {}", valid, StringComparison.Ordinal);
        File.WriteAllText(path, valid.Replace("\"accept_below_by_feel\": {}", "\"accept_below_by_feel\": null", StringComparison.Ordinal));
        Assert.Throws<ModelLoadException>(() => MelodyCritic.LoadFor(path, "abc"));
        File.WriteAllText(path, "{ not json");
        Assert.Throws<ModelLoadException>(() => MelodyCritic.LoadFor(path, "abc"));
    }

    private static MelodyCritic Critic(IEnumerable<double> weights, double acceptBelow = -1e9)
    {
        var w = weights.ToArray();
        return MelodyCritic.From(new LogisticRegression(w, 0, new double[w.Length], [.. w.Select(_ => 1.0)]), acceptBelow, "tiny", new CriticFit("valid", 10, 1, null, DateTimeOffset.UnixEpoch));
    }
}
