using ComposerBot.Generation.Neural;
using ComposerBot.Music;
using ComposerBot.Music.LeadSheets;

namespace ComposerBot.Evaluation.Tests;

public sealed class SamplingCalibratorTests
{
    [Fact]
    public void Histograms_count_steps_and_note_lengths_a_note_lasting_until_the_next_starts()
    {
        const int Step = LeadSheet.Resolution / 12;
        Note N(int pitch, long start, long length) => new(pitch, start * Step, length * Step, 80);
        // C4 eighth, E4 held over the next onset (cut to a sixteenth), E4 quarter, a C6 two octaves up.
        var sheet = new LeadSheet(new MeterChange(0, 4, 4), new KeySignature(0, KeyMode.Major), 120, 1,
            ValueList.Of(N(60, 0, 6), N(64, 6, 12), N(64, 9, 12), N(84, 21, 27)), ValueList.Of<ChordSpan>());
        var (intervals, durations) = SamplingCalibration.Histograms([sheet]);
        Assert.Equal(3, intervals.Sum());
        Assert.Equal((1.0, 1.0, 1.0), (intervals[4], intervals[0], intervals[SamplingCalibration.IntervalBins - 1]));
        Assert.Equal(4, durations.Sum());
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (durations[6], durations[3], durations[12], durations[27]));
    }

    [Fact]
    public void Sixteenth_shares_count_tunes_per_feel_with_enough_of_them_and_all_tunes_under_any()
    {
        const int Step = LeadSheet.Resolution / 12;
        LeadSheet Tune(params int[] lengths)
        {
            var start = 0L;
            var notes = lengths.Select(l => { var n = new Note(60, start * Step, l * Step, 80); start += l; return n; });
            return new LeadSheet(new MeterChange(0, 4, 4), new KeySignature(0, KeyMode.Major), 120, 1, notes.ToValueList(), ValueList.Of<ChordSpan>());
        }

        // Eighths only; a sixteenth pair; an eighth cut to a sixteenth by the next onset counts too.
        var plain = Tune(6, 6, 12, 24);
        var busy = Tune(3, 3, 6, 12, 24);
        Assert.False(SamplingCalibration.HasSixteenths(plain));
        Assert.True(SamplingCalibration.HasSixteenths(busy));

        var tunes = Enumerable.Range(0, 40).Select(i => ("reel", i % 4 == 0 ? plain : busy))
            .Concat(Enumerable.Range(0, 20).Select(i => ("jig", plain)))
            .Concat(Enumerable.Range(0, 5).Select(i => ("waltz", busy)));
        var shares = SamplingCalibrator.SixteenthShares(tunes);
        Assert.Equal(0.75, shares["reel"]);
        Assert.Equal(0, shares["jig"]);
        Assert.False(shares.ContainsKey("waltz"), "a feel with 5 tunes has no share of its own");
        Assert.Equal(Math.Round(35.0 / 65, 4), shares[SamplingCalibration.AnyFeel]);
    }

    [Fact]
    public void Rounds_of_fitting_bring_a_sampler_to_the_human_shares()
    {
        // A sampler whose bins are drawn in proportion to its own weights times e^offset, against other human shares.
        double[] model = [40, 25, 15, 10, 6, 3, 1], human = [2000, 3000, 2000, 1500, 800, 500, 200];
        double[] Sampled(IReadOnlyList<double> bias)
        {
            var weights = model.Select((w, b) => w * Math.Exp(bias[b])).ToArray();
            return [.. weights.Select(w => 100_000 * w / weights.Sum())];
        }

        var offsets = new double[model.Length];
        var before = SamplingCalibrator.TotalVariation(human, Sampled(offsets));
        for (var round = 0; round < 6; round++)
        {
            offsets = SamplingCalibrator.Update(offsets, human, Sampled(offsets));
        }

        Assert.True(before > 0.15, $"the sampler starts away from the human shares ({before:0.000})");
        Assert.True(SamplingCalibrator.TotalVariation(human, Sampled(offsets)) < 0.005);
    }

    [Fact]
    public void Rare_bins_keep_their_offset_and_offsets_stay_bounded()
    {
        double[] human = [1000, 5, 1000, 1000], sampled = [1000, 1000, 1000, 1];
        var next = SamplingCalibrator.Update([0.5, 0.5, 0.5, 0.5], human, sampled);
        Assert.Equal(0.5, next[1]); // too few human notes to judge
        Assert.Equal(0.5, next[3]); // too few sampled notes to judge
        double[] far = [100_000, 20, 20, 20];
        var bounded = SamplingCalibrator.Update([2.4, 0, 0, 0], far, [20, 100_000, 100_000, 100_000]);
        Assert.Equal(SamplingCalibrator.MaxBias, bounded[0]);
        Assert.All(bounded.Skip(1), b => Assert.True(b >= -SamplingCalibrator.MaxBias));
    }

    [Fact]
    public void A_calibration_is_read_back_only_for_the_weights_it_was_fitted_for()
    {
        using var dir = new TestSupport.TempDirectory();
        var path = dir.File(SamplingCalibration.FileName);
        var intervals = Enumerable.Range(0, SamplingCalibration.IntervalBins).Select(i => -0.1 * i).ToArray();
        var calibration = new SamplingCalibration(SamplingCalibration.CurrentFormat, "abc123", intervals, new double[SamplingCalibration.DurationBins],
            new CalibrationFit("valid", 200, 4, 1, 0.1, 0.01, 0.2, 0.02, DateTimeOffset.UnixEpoch));
        calibration.Save(path);
        var back = SamplingCalibration.LoadFor(path, "ABC123");
        Assert.NotNull(back);
        Assert.Equal(intervals, back.IntervalBias);
        Assert.Equal(calibration.Fit, back.Fit);
        Assert.Null(SamplingCalibration.LoadFor(path, "another"));
        Assert.Null(SamplingCalibration.LoadFor(dir.File("missing.json"), "abc123"));
        File.WriteAllText(path, "{\"format\": \"something else\"}");
        Assert.Throws<ModelLoadException>(() => SamplingCalibration.LoadFor(path, "abc123"));
    }
}
