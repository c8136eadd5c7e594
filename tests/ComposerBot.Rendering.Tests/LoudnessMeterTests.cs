using ComposerBot.Rendering.Loudness;

namespace ComposerBot.Rendering.Tests;

public class LoudnessMeterTests
{
    [Fact]
    public void K_weighting_at_48_khz_matches_the_coefficients_published_in_bs_1770()
    {
        var shelf = KWeighting.Shelf(48_000);
        Assert.Equal(1.53512485958697, shelf.B0, 10);
        Assert.Equal(-2.69169618940638, shelf.B1, 10);
        Assert.Equal(1.19839281085285, shelf.B2, 10);
        Assert.Equal(-1.69065929318241, shelf.A1, 10);
        Assert.Equal(0.73248077421585, shelf.A2, 10);
        var highPass = KWeighting.HighPass(48_000);
        Assert.Equal(-1.99004745483398, highPass.A1, 10);
        Assert.Equal(0.99007225036621, highPass.A2, 10);
    }

    [Fact]
    public void A_997_hz_sine_at_minus_20_dbfs_in_both_channels_measures_minus_20_lufs() =>
        // BS.1770: a full-scale 1 kHz sine in one channel reads -3.01 LKFS, so in two it reads 0.
        Assert.Equal(-20.0, LoudnessMeter.IntegratedLufs(Signals.Sine(997, 0.1, 10)), 1);

    [Fact]
    public void Silence_is_gated_out_by_the_absolute_gate() =>
        // Within 0.1 LU: the three 400 ms blocks that straddle the edge are half tone, half silence.
        Assert.Equal(-20.0, LoudnessMeter.IntegratedLufs(Signals.Concat(Signals.Sine(997, 0.1, 10), Signals.Silence(10))), 0.1);

    [Fact]
    public void Quiet_passages_are_gated_out_by_the_relative_gate()
    {
        // The -40 dB half is 20 LU under the loud half: under the relative gate (-10 LU), so it does not count.
        var audio = Signals.Concat(Signals.Sine(997, 0.1, 10), Signals.Sine(997, 0.01, 10));
        Assert.Equal(-20.0, LoudnessMeter.IntegratedLufs(audio), 0.1);
    }

    [Theory]
    [InlineData(48_000, 7.31)]
    [InlineData(44_100, 3.05)]
    public void The_loudness_is_exactly_that_of_each_channel_filtered_by_itself_a_sub_block_at_a_time(int rate, double seconds)
    {
        // The meter filters both channels at once; the definition, one filter over one
        // channel's 100 ms sub-block at a time (the history carried over), must give the very same doubles.
        var random = new Random(rate);
        var frames = (int)(seconds * rate);
        var samples = new float[frames * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            var level = 0.05 + (0.5 * Math.Abs(Math.Sin(i / (double)rate)));
            samples[i] = (float)(((random.NextDouble() * 2) - 1) * level * (i % 2 == 0 ? 1 : 0.6));
        }

        var hop = rate / 10;
        var (shelf, highPass) = (KWeighting.Shelf(rate), KWeighting.HighPass(rate));
        var subEnergy = new double[frames / hop];
        for (var channel = 0; channel < 2; channel++)
        {
            var (shelfState, highPassState) = (default(BiquadState), default(BiquadState));
            var block = new double[hop];
            for (var b = 0; b < subEnergy.Length; b++)
            {
                for (var n = 0; n < hop; n++)
                {
                    block[n] = samples[(((b * hop) + n) * 2) + channel];
                }

                shelf.Process(block, ref shelfState);
                highPass.Process(block, ref highPassState);
                double sum = 0;
                foreach (var y in block)
                {
                    sum += y * y;
                }

                subEnergy[b] += sum;
            }
        }

        Assert.Equal(LoudnessMeter.Gate(LoudnessMeter.Blocks(subEnergy, hop)), LoudnessMeter.IntegratedLufs(new AudioBuffer(samples, rate)));
    }

    [Fact]
    public void Silence_alone_has_no_loudness() =>
        Assert.Equal(double.NegativeInfinity, LoudnessMeter.IntegratedLufs(Signals.Silence(3)));

    [Fact]
    public void The_true_peak_of_a_quarter_rate_sine_lies_between_the_samples()
    {
        // At fs/4 with a 45 degree phase every sample is at 0.707 of the peak: sample peak -3 dB, true peak 0 dB.
        var audio = Signals.Sine(12_000, 1.0, 1, Math.PI / 4);
        Assert.Equal(-3.01, 20 * Math.Log10(audio.Samples.Max(Math.Abs)), 1);
        Assert.InRange(TruePeakMeter.TruePeakDbtp(audio), -0.3, 0.3);
    }

    [Fact]
    public void The_true_peak_envelope_does_not_depend_on_where_the_meter_cuts_its_blocks()
    {
        // The meter works a block of frames at a time, each with the interpolator's margin: the envelope of a
        // frame must come out the same whether it lies in the middle of a block or at its edge, so the same
        // noise measured whole and from 1,000 frames in must agree frame for frame (away from the cut).
        var random = new Random(5);
        var samples = new float[50_000 * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)((random.NextDouble() * 2) - 1) * (i % 7919 < 40 ? 1f : 0.3f);
        }

        var whole = TruePeakMeter.Envelope(new AudioBuffer(samples, 48_000));
        var cut = TruePeakMeter.Envelope(new AudioBuffer(samples[2_000..], 48_000));
        Assert.Equal(whole[1_100..], cut[100..]);
        Assert.Equal(20 * Math.Log10(whole.Max()), TruePeakMeter.TruePeakDbtp(new AudioBuffer(samples, 48_000)), 9);

        // Between samples the interpolated peak exceeds the samples somewhere in full-scale noise.
        Assert.True(whole.Max() > samples.Max(Math.Abs));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(77)]
    [InlineData(5)]
    public void The_interpolator_gives_each_point_a_multiply_and_an_add_a_tap_in_either_register_width(int points)
    {
        // Sixteen points to a 512-bit register (where the processor has them) or the narrower vectors give the
        // same floats as one point at a time: taps[j] * x[k - j] added in tap order.
        var random = new Random(points);
        var taps = Enumerable.Range(0, 24).Select(_ => (float)(random.NextDouble() - 0.3)).ToArray();
        var padded = Enumerable.Range(0, points + 24 + 3).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var expected = Enumerable.Range(0, points).Select(k =>
        {
            var sum = 0f;
            for (var j = 0; j < taps.Length; j++)
            {
                sum += padded[24 + k - j] * taps[j];
            }

            return sum;
        }).ToArray();
        foreach (var wide in new[] { false, true })
        {
            var output = new float[points];
            TruePeakMeter.Interpolate(padded, taps, output, wide);
            Assert.Equal(expected, output);
        }
    }
}
