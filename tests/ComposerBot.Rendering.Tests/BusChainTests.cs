using ComposerBot.Rendering.Analysis;
using ComposerBot.Rendering.Mixing;

namespace ComposerBot.Rendering.Tests;

public class BusChainTests
{
    private const int Rate = 48_000;

    [Theory]
    [InlineData(40, 6.0)]
    [InlineData(5000, 0.0)]
    public void A_low_shelf_lifts_the_lows_and_leaves_the_highs(double hz, double expectedDb)
    {
        var gain = Gain(new BusSettings { LowShelfHz = 200, LowShelfDb = 6 }, hz, 0.1);
        Assert.InRange(gain, expectedDb - 0.5, expectedDb + 0.5);
    }

    [Theory]
    [InlineData(15000, -5.0)]
    [InlineData(100, 0.0)]
    public void A_high_shelf_cuts_the_highs_and_leaves_the_lows(double hz, double expectedDb) =>
        Assert.InRange(Gain(new BusSettings { HighShelfHz = 4000, HighShelfDb = -5 }, hz, 0.1), expectedDb - 0.5, expectedDb + 0.5);

    [Fact]
    public void A_presence_bell_lifts_its_band_only_and_a_high_pass_removes_rumble()
    {
        Assert.InRange(Gain(new BusSettings { PresenceHz = 3000, PresenceDb = 3 }, 3000, 0.1), 2.7, 3.3);
        Assert.InRange(Gain(new BusSettings { PresenceHz = 3000, PresenceDb = 3 }, 200, 0.1), -0.3, 0.3);
        Assert.True(Gain(new BusSettings { HighPassHz = 40 }, 10, 0.1) < -20);
        Assert.InRange(Gain(new BusSettings { HighPassHz = 40 }, 1000, 0.1), -0.1, 0.1);
    }

    [Fact]
    public void The_compressor_reduces_what_is_over_the_threshold_by_its_ratio_and_leaves_what_is_under()
    {
        var settings = new BusSettings { ThresholdDb = -18, Ratio = 3, KneeDb = 0 };
        // A sine peaking at -6 dBFS is 12 dB over: it leaves at 12 / 3 = 4 dB over, 8 dB down.
        Assert.InRange(Gain(settings, 1000, Math.Pow(10, -6 / 20.0)), -8.3, -7.5);
        Assert.InRange(Gain(settings, 1000, Math.Pow(10, -30 / 20.0)), -0.05, 0.05);
        Assert.InRange(Gain(settings with { Ratio = 1 }, 1000, 0.5), -0.01, 0.01);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 3)]
    public void Every_sample_gets_the_textbook_recursions_bit_for_bit(double highShelfDb, double silentSeconds)
    {
        // Over chunk boundaries: a second and a half, both channels different, loud enough to compress; four
        // sections (filtered two at a time) or three (the last alone); then, where asked, silence long enough
        // for the reduction to fade out (its gains are 1 without a power taken).
        var settings = new BusSettings { HighPassHz = 35, LowShelfHz = 100, LowShelfDb = 2, PresenceHz = 3000, PresenceDb = 2, HighShelfDb = highShelfDb, ThresholdDb = -18, Ratio = 3, AttackMilliseconds = 10, ReleaseMilliseconds = 120 };
        var left = Signals.Bursts(1.5, 0.7f, seed: 3).Samples.Concat(new float[(int)(silentSeconds * Rate) * 2]).ToArray();
        var audio = left.Select((x, i) => i % 2 == 0 ? x : 0.5f * left[i - 1] - (0.3f * x)).ToArray();
        var chain = new BusChain(settings, Rate);
        var equalized = audio.ToArray();
        chain.Equalize(equalized);
        var gains = chain.CompressorGains(equalized);

        // Each sample through each section in turn, in double; then the compressor frame by frame.
        var expected = audio.ToArray();
        var states = new Loudness.BiquadState[2, chain.Filters.Count];
        for (var i = 0; i < expected.Length; i++)
        {
            double x = expected[i];
            for (var f = 0; f < chain.Filters.Count; f++)
            {
                x = chain.Filters[f].Step(x, ref states[i % 2, f]);
            }

            expected[i] = (float)x;
        }

        Assert.Equal(expected, equalized);
        var (attack, release) = (Math.Exp(-1000.0 / (10 * Rate)), Math.Exp(-1000.0 / (120 * Rate)));
        var (slope, knee) = (1 - (1 / settings.Ratio), settings.KneeDb / 2);
        double held = 0, reduction = 0;
        for (var frame = 0; frame < gains.Length; frame++)
        {
            held = Math.Max(Math.Max(Math.Abs(expected[2 * frame]), Math.Abs(expected[(2 * frame) + 1])), held * release);
            var over = (20 * Math.Log10(Math.Max(held, 1e-6))) - settings.ThresholdDb;
            var wanted = over <= -knee ? 0 : over >= knee ? slope * over : slope * (over + knee) * (over + knee) / (4 * knee);
            reduction = wanted + ((wanted > reduction ? attack : release) * (reduction - wanted));
            Assert.Equal((float)Math.Pow(10, -reduction / 20), gains[frame]);
        }

        Assert.True(gains.Min() < 0.8f, "the test material should be compressed");
        Assert.Equal(highShelfDb == 0 ? 3 : 4, chain.Filters.Count);
        if (silentSeconds > 0)
        {
            Assert.Equal(1f, gains[^1]);
        }
    }

    [Fact]
    public void A_stream_cut_into_blocks_gets_what_one_pass_gets()
    {
        var settings = new BusSettings { HighPassHz = 30, LowShelfDb = 2, HighShelfDb = -3, PresenceDb = 1, ThresholdDb = -20, Ratio = 2.5 };
        var audio = Signals.Bursts(1, 0.7f).Samples;
        var whole = audio.ToArray();
        new BusChain(settings, Rate).Process(whole);
        var blocks = audio.ToArray();
        var chain = new BusChain(settings, Rate);
        for (var start = 0; start < blocks.Length; start += 2 * 1000)
        {
            chain.Process(blocks.AsSpan(start, Math.Min(2 * 1000, blocks.Length - start)));
        }

        Assert.Equal(whole, blocks);
    }

    [Fact]
    public void Parts_equalised_alone_and_given_the_mixes_gains_sum_to_the_processed_mix()
    {
        var settings = new BusSettings { HighPassHz = 30, LowShelfDb = 2, HighShelfDb = -3, ThresholdDb = -24, Ratio = 3 };
        var a = Signals.Bursts(1, 0.5f, seed: 1).Samples;
        var b = Signals.Sine(220, 0.4, 1).Samples;
        var mix = a.Zip(b, (x, y) => x + y).ToArray();
        var chain = new BusChain(settings, Rate);
        chain.Equalize(mix);
        new BusChain(settings, Rate).Equalize(a);
        new BusChain(settings, Rate).Equalize(b);
        var gains = chain.CompressorGains(mix);
        Assert.True(gains.Min() < 0.8f, "the test material should be compressed");
        foreach (var audio in new[] { mix, a, b })
        {
            BusChain.ApplyGains(audio, gains);
        }

        var error = mix.Select((m, i) => Math.Abs(m - a[i] - b[i])).Max();
        Assert.True(20 * Math.Log10(error) < -100, $"the parts differ from the mix by {20 * Math.Log10(error):0} dB");
    }

    /// <summary>The gain in dB the bus gives a sine (its steady second half).</summary>
    private static double Gain(BusSettings settings, double hz, double amplitude)
    {
        var audio = Signals.Sine(hz, amplitude, 1).Samples;
        new BusChain(settings, Rate).Process(audio);
        var left = Spectrum.Left(audio.AsSpan(audio.Length / 2));
        return 20 * Math.Log10(Spectrum.Amplitude(left, Rate, hz) / amplitude);
    }
}
