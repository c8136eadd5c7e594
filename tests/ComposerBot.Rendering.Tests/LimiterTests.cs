using ComposerBot.Rendering.Loudness;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ComposerBot.Rendering.Tests;

public class LimiterTests
{
    [Property(MaxTest = 100)]
    public Property Gains_keep_every_peak_under_the_ceiling() =>
        Prop.ForAll(
            Gen.Choose(0, 1000).Select(v => v / 1000f).ArrayOf().Where(a => a.Length > 0).ToArbitrary(),
            Gen.Choose(1, 40).Select(g => g / 4.0).ToArbitrary(),
            (envelope, inputGain) =>
            {
                const double ceiling = 0.8;
                var gains = LookAheadLimiter.Gains(envelope, inputGain, ceiling, 7, 50);
                return envelope.Select((e, i) => e * inputGain * gains[i]).All(p => p <= ceiling * (1 + 1e-9))
                    && gains.All(g => g is > 0 and <= 1);
            });

    [Fact]
    public void The_gain_starts_falling_before_a_peak_arrives()
    {
        var envelope = new float[1000];
        Array.Fill(envelope, 0.1f);
        envelope[500] = 1.0f;
        var gains = LookAheadLimiter.Gains(envelope, 1.0, 0.5, 20, 100);
        Assert.True(gains[490] < 1, "the gain should already be reduced 10 frames ahead");
        Assert.True(gains[500] <= 0.5 + 1e-6);
        Assert.Equal(1, gains[100]);
    }

    [Theory]
    [InlineData(0.9f)]
    [InlineData(0.05f)]
    public void Normalizing_reaches_minus_14_lufs_under_the_true_peak_ceiling(float level)
    {
        var target = new LoudnessTarget();
        var (audio, report) = LoudnessNormalizer.Normalize(Signals.Bursts(20, level), target);
        Assert.Equal(-14, report.IntegratedLufs, 0.1);
        Assert.True(report.TruePeakDbtp <= target.TruePeakCeilingDbtp, $"true peak {report.TruePeakDbtp}");
        Assert.Equal(report.IntegratedLufs, LoudnessMeter.IntegratedLufs(audio), 6);
    }

    [Fact]
    public void Silence_is_left_as_it_is()
    {
        var silence = Signals.Silence(2);
        var (audio, report) = LoudnessNormalizer.Normalize(silence, new LoudnessTarget());
        Assert.Same(silence, audio);
        Assert.Equal(double.NegativeInfinity, report.IntegratedLufs);
    }

    [Theory]
    [InlineData(1000, 7)]
    [InlineData(1000, 0)]
    [InlineData(30, 40)]
    [InlineData(481, 240)]
    [InlineData(482, 240)]
    public void Each_window_peak_is_the_largest_envelope_value_within_the_look_ahead_either_side(int frames, int lookAhead)
    {
        // Against the definition, frame by frame: the edges, a window longer than the envelope, runs that end
        // exactly where the envelope does, and repeated values.
        var random = new Random(frames + lookAhead);
        var envelope = Enumerable.Range(0, frames).Select(_ => random.Next(4) == 0 ? 0.25f : (float)random.NextDouble()).ToArray();
        var peaks = new float[frames];
        LookAheadLimiter.WindowPeaks(envelope, lookAhead, peaks);
        for (var i = 0; i < frames; i++)
        {
            var from = Math.Max(0, i - lookAhead);
            var to = Math.Min(frames - 1, i + lookAhead);
            Assert.Equal(envelope[from..(to + 1)].Max(), peaks[i]);
        }
    }

    [Theory]
    [InlineData(1003, 1.7)]
    [InlineData(5, 0.31)]
    public void A_normalising_pass_scales_each_gain_and_finds_the_peak_as_one_frame_at_a_time_does(int frames, double gain)
    {
        var random = new Random(frames);
        var gains = Enumerable.Range(0, frames).Select(_ => (float)random.NextDouble()).ToArray();
        var envelope = Enumerable.Range(0, frames + 9).Select(_ => (float)(random.NextDouble() * 1.3)).ToArray();
        var expected = gains.Select(g => (float)(gain * g)).ToArray();
        var expectedPeak = expected.Select((g, f) => envelope[f] * g).Max();
        Assert.Equal(expectedPeak, LoudnessNormalizer.ScaleGains(gains, gain, envelope));
        Assert.Equal(expected, gains);
    }
}
